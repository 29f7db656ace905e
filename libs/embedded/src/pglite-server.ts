import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { describeQueryQueue, keepExtendedQueriesTogether } from './extended-query-affinity';

export interface EmbeddedPostgres {
  /** A postgres:// URL any pg client (MikroORM, psql) can use. */
  url: string;
  stop(): Promise<void>;
  /** Connections, queued messages and who holds the backend: for diagnosing a stuck client. */
  describe(): string;
  /** The whole data directory as an uncompressed tarball, for `loadDataDir` of a later start. */
  dumpDataDir(): Promise<Blob>;
}

/**
 * Embedded Postgres (PGlite, Postgres in WASM) with pgvector, pg_trgm, btree_gin and fuzzystrmatch
 * (search's typo tolerance, per-owner text indexes and sound-alike words; the migrations create them), served over the wire
 * protocol so the api and worker processes share it like a real server.
 * `dataDir` undefined keeps it in memory (tests); `loadDataDir` starts from an earlier `dumpDataDir()`.
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; loadDataDir?: Blob; port?: number; host?: string }): Promise<EmbeddedPostgres> {
  const db = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir, extensions: { vector, pg_trgm, btree_gin, fuzzystrmatch } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const host = options.host ?? '127.0.0.1';
  // PGlite is one backend: it runs one transaction at a time however many sockets are open.
  // maxConnections > 1 lets pools open several sockets; the server queues their queries.
  const server = new PGLiteSocketServer({ db, host, port: options.port ?? 0, maxConnections: 32 });
  keepExtendedQueriesTogether(server);
  await server.start();
  const conn = server.getServerConn();
  const port = Number(conn.split(':').pop());
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    describe: () => describeQueryQueue(server),
    dumpDataDir: () => db.dumpDataDir('none'),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
