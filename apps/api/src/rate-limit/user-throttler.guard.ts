import { ExecutionContext, HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerRequest,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import type { Request, Response } from 'express';
import { HttpAuditRecorder } from '../audit/http-audit-recorder';
import { MetricsRegistry } from '../metrics/http-metrics';
import { markUnlimited, tooManyRequests } from './rate-limit-response';

/**
 * Per user (the verified token's sub), across every route: registered after the JWT guard (see
 * AuthModule), so the user is known; anonymous requests are left to the per-address limit.
 */
@Injectable()
export class UserThrottlerGuard extends ThrottlerGuard {
  private readonly log = new Logger('RateLimit');
  private lastWarning = 0;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly audit: HttpAuditRecorder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsRegistry,
  ) {
    super(options, storage, reflector);
  }

  /** Redis not answering lets the request through (logged), like the per-address limit. */
  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(request);
    } catch (err) {
      if (err instanceof HttpException) throw err;
      if (Date.now() - this.lastWarning > 30_000) {
        this.lastWarning = Date.now();
        this.log.warn(`rate limit store unavailable, not limiting: ${String(err)}`);
      }
      markUnlimited(request.context.switchToHttp().getResponse<Response>(), 'user', this.metrics);
      return true;
    }
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (detail.totalHits === detail.limit + 1) await this.audit.recordRateLimited(req, 'user', detail.limit, this.config.rateLimit.windowS);
    throw tooManyRequests(http.getResponse<Response>(), 'user', detail.timeToBlockExpire, detail.limit, this.config.rateLimit.windowS);
  }
}
