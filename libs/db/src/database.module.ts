import { DynamicModule, Global, Logger, Module, OnModuleInit } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { MikroORM } from '@mikro-orm/postgresql';
import { migrateToLatest } from './migrate';
import { ormOptions } from './orm-options';

/** Applies migrations before the app accepts work. */
class MigrateOnStart implements OnModuleInit {
  constructor(private readonly orm: MikroORM) {}

  async onModuleInit(): Promise<void> {
    const logger = new Logger('Migrations');
    const { applied } = await migrateToLatest(this.orm, { log: (m) => logger.log(m) });
    logger.log(applied.length ? `applied ${applied.join(', ')}` : 'database schema is up to date');
  }
}

/** MikroORM for the app (closed by @mikro-orm/nestjs at shutdown), migrated before anything else starts. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(opts: { url: string; poolMax: number }): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [MikroOrmModule.forRoot({ ...ormOptions(opts.url, opts.poolMax), registerRequestContext: true, autoLoadEntities: false })],
      providers: [{ provide: MigrateOnStart, useFactory: (orm: MikroORM) => new MigrateOnStart(orm), inject: [MikroORM] }],
    };
  }
}
