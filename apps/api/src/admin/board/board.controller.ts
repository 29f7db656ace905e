import { Controller, Get, Inject, Post, Query, Res, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExcludeEndpoint, ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import type { Response } from 'express';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Public, Roles } from '../../auth/auth.decorators';
import { Audit, AuditAnnotation, AuditNote } from '../../audit/audit.decorators';
import { ErrorDto } from '../../common/error.dto';
import { BoardSessionDto } from '../dto/queue.dto';
import { BoardTicketQuery } from './board-ticket.query';
import { BOARD_COOKIE, BOARD_SESSION_TTL_S, BoardSessions } from './board-sessions';

export const BOARD_PATH = '/v1/admin/board';
export const BOARD_UI_PATH = `${BOARD_PATH}/ui`;

@ApiTags('admin')
@Audit({ resourceType: 'board' })
@Controller('v1/admin/board')
export class BoardController {
  constructor(
    private readonly sessions: BoardSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('session')
  @Roles('admin')
  @ApiBearerAuth()
  @Audit({ action: 'board.session' })
  @ApiOperation({ summary: 'A one-time URL (valid 1 minute) that opens the read-only queue dashboard for 15 minutes' })
  @ApiCreatedResponse({ type: BoardSessionDto })
  @ApiForbiddenResponse({ type: ErrorDto })
  async session(@CurrentUser() user: AuthUser): Promise<BoardSessionDto> {
    const { ticket, expiresAt } = await this.sessions.issueTicket(user.id);
    return { url: `${this.config.publicUrl}${BOARD_PATH}/login?ticket=${ticket}`, expiresAt };
  }

  /** Public (a browser opens it) but only with a ticket an admin was just given; audited as that admin's read. */
  @Get('login')
  @Public()
  @ApiExcludeEndpoint()
  @Audit({ action: 'board.open', reads: true, omitBody: true })
  async login(@Query() q: BoardTicketQuery, @Res() res: Response, @AuditNote() note: AuditAnnotation): Promise<void> {
    const session = await this.sessions.redeem(q.ticket);
    if (!session) throw new UnauthorizedException('this dashboard link was used already or has expired: ask for a new one');
    note.actor = { id: session.adminId, role: 'admin' };
    res.cookie(BOARD_COOKIE, session.sessionId, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.publicUrl.startsWith('https://'),
      path: BOARD_PATH,
      maxAge: BOARD_SESSION_TTL_S * 1000,
    });
    res.redirect(302, `${BOARD_UI_PATH}/`);
  }
}
