import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class WebhookReceiptDto {
  @ApiProperty({ enum: [true] }) received!: true;
  @ApiProperty() webhookId!: string;
  @ApiProperty({ example: 'user.deleted' }) type!: string;
  @ApiProperty({ enum: ['purge_queued', 'ignored'] }) action!: 'purge_queued' | 'ignored';
  @ApiPropertyOptional({ format: 'uuid' }) userId?: string;
  @ApiPropertyOptional({ description: 'the user_purge job' }) jobId?: string;
}
