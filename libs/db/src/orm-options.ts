import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, PostgreSqlDriver, ReflectMetadataProvider } from '@mikro-orm/postgresql';
import type { Options } from '@mikro-orm/core';
import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from './entities';

export const MIGRATIONS_TABLE = 'mikro_orm_migrations';

/** The one MikroORM configuration, used by the api, the worker, the CLI scripts and tests. */
export function ormOptions(databaseUrl: string, poolMax = 8): Options<PostgreSqlDriver> {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: ENTITIES,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    migrations: {
      tableName: MIGRATIONS_TABLE,
      migrationsList: MIGRATIONS,
      path: 'migrations',
      pathTs: 'migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      silent: true,
    },
    pool: { min: 0, max: poolMax },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
  });
}
