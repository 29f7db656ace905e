import { Module } from '@nestjs/common';
import { BoardSessions } from './board-sessions';

/** Its own module: the dashboard's root module is built from it before AdminModule's providers exist. */
@Module({ providers: [BoardSessions], exports: [BoardSessions] })
export class BoardSessionsModule {}
