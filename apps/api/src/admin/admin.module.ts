import { Module } from '@nestjs/common';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule, type BullBoardModuleOptions } from '@bull-board/nestjs';
import { QueueName } from '@heimdex/queue';
import { VideosModule } from '../videos/videos.module';
import { AdminController } from './admin.controller';
import { boardAuthMiddleware } from './board/board-auth.middleware';
import { BoardController, BOARD_UI_PATH } from './board/board.controller';
import { BoardSessions } from './board/board-sessions';
import { BoardSessionsModule } from './board/board-sessions.module';
import { QueueAdminService } from './queue-admin.service';
import { UserPurgeService } from './user-purge.service';

/**
 * What admins do besides reading the audit trail: queue administration, any user's videos,
 * account purges, and the queue dashboard (@bull-board, read-only: every change goes through
 * the audited endpoints above; opened with a one-time ticket, see BoardSessions).
 */
@Module({
  imports: [
    VideosModule,
    BoardSessionsModule,
    BullBoardModule.forRootAsync({
      imports: [BoardSessionsModule],
      inject: [BoardSessions],
      useFactory: (sessions: BoardSessions) => ({
        route: BOARD_UI_PATH,
        // @bull-board/express carries its own copy of @bull-board/api (9.10.1 beside the root's 9.10.2): same shapes, separate declarations.
        adapter: ExpressAdapter as unknown as BullBoardModuleOptions['adapter'],
        middleware: boardAuthMiddleware(sessions),
        boardOptions: { uiConfig: { boardTitle: 'Heimdex queues' } },
      }),
    }),
    BullBoardModule.forFeature(...Object.values(QueueName).map((name) => ({ name, adapter: BullMQAdapter, options: { readOnlyMode: true } }))),
  ],
  controllers: [AdminController, BoardController],
  providers: [QueueAdminService, UserPurgeService],
  exports: [UserPurgeService],
})
export class AdminModule {}
