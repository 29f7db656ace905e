import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { ErrorDto } from '../common/error.dto';
import { AuthConfigDto } from './auth-config.dto';
import type { AuthUser } from './auth-user';
import { CurrentUser, Public } from './auth.decorators';
import { MeDto } from './me.dto';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** From the token's claims alone: no database, no call to Supabase (seed 001's /me 500). */
  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: MeDto })
  @ApiUnauthorizedResponse({ type: ErrorDto })
  me(@CurrentUser() user: AuthUser): MeDto {
    const { id, email, emailVerified, role, tier, displayName, onboardingCompleted } = user;
    return { id, email, emailVerified, role, tier, displayName, onboardingCompleted };
  }

  /** How the web console signs in: Supabase Auth, or (embedded development only) the printed dev token. */
  @Get('config')
  @Public()
  @ApiOkResponse({ type: AuthConfigDto })
  authConfig(): AuthConfigDto {
    const { supabaseUrl, supabaseAnonKey } = this.config.auth;
    return { supabaseUrl, supabaseAnonKey, devSignIn: !supabaseUrl && this.config.env === 'development' };
  }
}
