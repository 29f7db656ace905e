import { Migration } from '@mikro-orm/migrations';

/**
 * Search indexes tuned on `npm run bench:search` (1M scenes):
 * - HNSW graphs built with ef_construction 128 (pgvector's default is 64): a better-connected
 *   graph raises recall@10 at the same query-time ef_search, for about 1.4x the build time.
 * - A covering index on the caller's videos: every search list joins scenes to the owner's
 *   indexed videos, and reads them from this index alone instead of the table.
 * Rebuilding an HNSW index takes minutes on millions of scenes, and the apps start only after
 * migrations have run: the first start after this upgrade is that much slower on a large library.
 */
export class Migration20261201013000_search_index_tuning extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "scenes_text_embedding_hnsw";`);
    this.addSql(`create index "scenes_text_embedding_hnsw" on "scenes" using hnsw ("text_embedding" vector_cosine_ops) with (m = 16, ef_construction = 128);`);
    this.addSql(`drop index "scenes_visual_embedding_hnsw";`);
    this.addSql(
      `create index "scenes_visual_embedding_hnsw" on "scenes" using hnsw ("visual_embedding" vector_cosine_ops) with (m = 16, ef_construction = 128);`,
    );
    this.addSql(`create index "videos_user_search_idx" on "videos" ("user_id", "id") include ("state", "indexed_at", "created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "videos_user_search_idx";`);
    this.addSql(`drop index "scenes_visual_embedding_hnsw";`);
    this.addSql(`create index "scenes_visual_embedding_hnsw" on "scenes" using hnsw ("visual_embedding" vector_cosine_ops);`);
    this.addSql(`drop index "scenes_text_embedding_hnsw";`);
    this.addSql(`create index "scenes_text_embedding_hnsw" on "scenes" using hnsw ("text_embedding" vector_cosine_ops);`);
  }
}
