import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { UserThrottlerGuard } from '../rate-limit/user-throttler.guard';
import { AuthController } from './auth.controller';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { RolesGuard } from './roles.guard';
import { SigningKeyResolver } from './signing-key-resolver';
import { StreamTickets } from './stream-tickets';

@Module({
  imports: [PassportModule],
  controllers: [AuthController],
  providers: [
    SigningKeyResolver,
    StreamTickets,
    JwtStrategy,
    // Order matters: authenticate, then check roles, then count the request against the user's rate limit.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_GUARD, useClass: UserThrottlerGuard },
  ],
  exports: [StreamTickets],
})
export class AuthModule {}
