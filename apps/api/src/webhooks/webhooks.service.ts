import { BadRequestException, ConflictException, Inject, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import type Redis from 'ioredis';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { UserPurgeService } from '../admin/user-purge.service';
import { API_REDIS, apiRedisKey } from '../redis/redis.module';
import { MalformedEventError, parseSupabaseEvent } from './supabase-event';
import type { WebhookReceiptDto } from './webhook-receipt.dto';

/** Timestamps are accepted 5 minutes either way, so an id must be remembered at least 10 minutes. */
const REPLAY_WINDOW_S = 15 * 60;

export type WebhookHeaders = Record<string, string | string[] | undefined>;

/**
 * Supabase webhooks, signed per Standard Webhooks (verified with the `standardwebhooks`
 * package: HMAC-SHA256 over `id.timestamp.body`, timestamp within 5 minutes). A webhook-id is
 * accepted once: ids are remembered in Redis for longer than the timestamp window, so a replay
 * of a captured request is refused even while its signature and timestamp are still valid.
 */
@Injectable()
export class WebhooksService {
  private readonly verifier: Webhook | null;

  constructor(
    @Inject(API_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly purges: UserPurgeService,
  ) {
    const secret = config.auth.webhookSecret;
    // Supabase shows secrets as `v1,whsec_<base64>`; the package takes `whsec_<base64>`.
    this.verifier = secret ? new Webhook(secret.replace(/^v1,/, '')) : null;
  }

  async receiveSupabase(raw: Buffer | undefined, headers: WebhookHeaders): Promise<WebhookReceiptDto> {
    if (!this.verifier) throw new ServiceUnavailableException('webhooks are not configured: set SUPABASE_WEBHOOK_SECRET');
    const signed = {
      'webhook-id': header(headers, 'webhook-id'),
      'webhook-timestamp': header(headers, 'webhook-timestamp'),
      'webhook-signature': header(headers, 'webhook-signature'),
    };
    if (!signed['webhook-id'] || !signed['webhook-timestamp'] || !signed['webhook-signature']) {
      throw new UnauthorizedException('webhook-id, webhook-timestamp and webhook-signature headers are required');
    }
    if (!raw) throw new BadRequestException('the webhook body must be JSON (Content-Type: application/json)');
    let payload: unknown;
    try {
      payload = this.verifier.verify(raw.toString('utf8'), signed);
    } catch (err) {
      if (err instanceof WebhookVerificationError) throw new UnauthorizedException(`webhook rejected: ${err.message}`);
      throw new BadRequestException('the webhook body is not valid JSON');
    }
    const id = signed['webhook-id'];
    const key = apiRedisKey(this.config, 'webhook', 'supabase', id);
    if ((await this.redis.set(key, '1', 'EX', REPLAY_WINDOW_S, 'NX')) !== 'OK') {
      throw new ConflictException(`webhook ${id} was already received: replay refused`);
    }
    try {
      const event = parseSupabaseEvent(payload);
      if (event.type !== 'user.deleted') return { received: true, webhookId: id, type: event.type, action: 'ignored' };
      const jobId = await this.purges.request(event.userId as string, 'user.deleted');
      return { received: true, webhookId: id, type: event.type, action: 'purge_queued', userId: event.userId as string, jobId };
    } catch (err) {
      // Not handled after all: let the sender's retry (same id) through.
      await this.redis.del(key).catch(() => undefined);
      if (err instanceof MalformedEventError) throw new BadRequestException(err.message);
      throw err;
    }
  }
}

function header(headers: WebhookHeaders, name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}
