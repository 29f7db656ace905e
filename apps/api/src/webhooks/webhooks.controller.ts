import { Controller, Headers, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiHeader, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/auth.decorators';
import { Audit, AuditAnnotation, AuditNote } from '../audit/audit.decorators';
import { ErrorDto } from '../common/error.dto';
import { WebhookReceiptDto } from './webhook-receipt.dto';
import { WebhookHeaders, WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@Public()
@Audit({ resourceType: 'webhooks', anonymousActor: 'system', omitBody: true })
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('supabase')
  @HttpCode(202)
  @Audit({ action: 'webhooks.supabase', resourceType: 'users' })
  @ApiOperation({ summary: "Supabase events, signed per Standard Webhooks; user.deleted purges the user's data (a job), the audit trail stays" })
  @ApiHeader({ name: 'webhook-id', required: true })
  @ApiHeader({ name: 'webhook-timestamp', required: true, description: 'Unix seconds; within 5 minutes of now' })
  @ApiHeader({ name: 'webhook-signature', required: true, description: 'v1,<base64 HMAC-SHA256>' })
  @ApiAcceptedResponse({ type: WebhookReceiptDto })
  @ApiUnauthorizedResponse({ type: ErrorDto, description: 'missing or wrong signature, or a timestamp outside 5 minutes' })
  @ApiConflictResponse({ type: ErrorDto, description: 'this webhook-id was received before (replay)' })
  @ApiBadRequestResponse({ type: ErrorDto })
  async supabase(@Req() req: RawBodyRequest<Request>, @Headers() headers: WebhookHeaders, @AuditNote() note: AuditAnnotation): Promise<WebhookReceiptDto> {
    const receipt = await this.webhooks.receiveSupabase(req.rawBody, headers);
    note.resourceId = receipt.userId;
    note.details = { webhookId: receipt.webhookId, type: receipt.type, action: receipt.action, ...(receipt.jobId ? { jobId: receipt.jobId } : {}) };
    return receipt;
  }
}
