import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Account lifecycle from the identity provider: Supabase's user.deleted purges the user's data. */
@Module({
  imports: [AdminModule],
  controllers: [WebhooksController],
  providers: [WebhooksService],
})
export class WebhooksModule {}
