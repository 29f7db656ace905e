import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorDto } from '../common/error.dto';
import type { AuthUser } from './auth-user';
import { CurrentUser } from './auth.decorators';
import { MeDto } from './me.dto';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/auth')
export class AuthController {
  /** From the token's claims alone: no database, no call to Supabase (seed 001's /me 500). */
  @Get('me')
  @ApiOkResponse({ type: MeDto })
  @ApiUnauthorizedResponse({ type: ErrorDto })
  me(@CurrentUser() user: AuthUser): MeDto {
    const { id, email, emailVerified, role, tier, displayName, onboardingCompleted } = user;
    return { id, email, emailVerified, role, tier, displayName, onboardingCompleted };
  }
}
