import { DynamicModule, Module } from '@nestjs/common';
import { AuditTrailModule } from '@heimdex/audit';
import { AppConfig, ConfigModule } from '@heimdex/config';
import { DatabaseModule } from '@heimdex/db';
import { createLoggerModule } from '@heimdex/observability';
import { QueueModule } from '@heimdex/queue';
import { ObjectStorage, StorageModule } from '@heimdex/storage';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { HttpDrain } from './common/http-drain';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { PeopleModule } from './people/people.module';
import { SearchModule } from './search/search.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RedisModule } from './redis/redis.module';
import { LocalStorageModule } from './storage/local-storage.module';
import { VideosModule } from './videos/videos.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, storage: ObjectStorage): DynamicModule {
    if (!config.database.url) throw new Error('AppModule needs a database URL');
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        createLoggerModule({ level: config.logLevel, app: 'api' }),
        DatabaseModule.forRoot({ url: config.database.url, poolMax: config.database.poolMax }),
        QueueModule.forRoot(config, 'producer'),
        StorageModule.forRoot(storage),
        AuthModule,
        HealthModule,
        MetricsModule,
        VideosModule,
        PeopleModule,
        SearchModule,
        RedisModule,
        AuditTrailModule,
        AuditModule,
        RateLimitModule,
        AdminModule,
        WebhooksModule,
        ...(storage.driver === 'local' ? [LocalStorageModule] : []),
      ],
      providers: [HttpDrain],
    };
  }
}
