import { UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { BOARD_COOKIE, BoardSessions, cookieValue } from './board-sessions';

/** In front of the dashboard's router: a valid session cookie, else the standard 401. */
export function boardAuthMiddleware(sessions: BoardSessions) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const sessionId = cookieValue(req.headers.cookie, BOARD_COOKIE);
    if (!sessionId)
      return next(new UnauthorizedException('no dashboard session: POST /v1/admin/board/session with an admin token and open the URL it returns'));
    sessions.check(sessionId).then(
      (adminId) => next(adminId ? undefined : new UnauthorizedException('the dashboard session has expired: ask for a new one')),
      (err: unknown) => next(err),
    );
  };
}
