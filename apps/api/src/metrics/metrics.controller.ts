import { Controller, Get, Header, Inject, Req, UnauthorizedException, UseGuards, CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public, Roles } from '../auth/auth.decorators';
import { MetricsRegistry } from './http-metrics';

/**
 * Prometheus scrapes with a static METRICS_TOKEN when one is configured; otherwise (and also)
 * an admin's JWT works. The token route is @Public to skip JWT parsing of a non-JWT bearer.
 */
@Injectable()
class MetricsTokenGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const expected = this.config.auth.metricsToken;
    const header = ctx.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (expected && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return true;
    throw new UnauthorizedException('metrics need METRICS_TOKEN or an admin token');
  }
}

@ApiTags('operations')
@ApiBearerAuth()
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get('metrics')
  @Roles('admin')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOkResponse({ description: 'Prometheus text format (admin token)' })
  adminScrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  @Get('metrics/scrape')
  @Public()
  @UseGuards(MetricsTokenGuard)
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOkResponse({ description: 'Prometheus text format (Bearer METRICS_TOKEN)' })
  tokenScrape(@Req() _req: Request): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
