import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { ReadinessIndicators } from './readiness.indicators';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: ReadinessIndicators,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: database, migrations, Redis and storage all usable. */
  @Get('ready')
  @HealthCheck()
  @ApiServiceUnavailableResponse({ description: 'a dependency is down; the body says which' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.indicators.database(),
      () => this.indicators.migrations(),
      () => this.indicators.redis(),
      () => this.indicators.objectStorage(),
    ]);
  }
}
