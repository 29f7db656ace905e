import { Migration } from '@mikro-orm/migrations';

export class Migration20261122023427_pipeline_data extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "videos" add column "language" text null;`);

    this.addSql(
      `alter table "scenes" add column "words" jsonb not null default '[]', add column "ocr_lines" jsonb not null default '[]', add column "tag_scores" jsonb not null default '[]', add column "frames" jsonb not null default '[]', add column "search_vector" tsvector generated always as (setweight(to_tsvector('simple'::regconfig, transcript), 'A'::"char") || setweight(to_tsvector('simple'::regconfig, ocr_text), 'B'::"char")) stored null, add column "text_embedding_next" vector(384) null, add column "text_embedding_next_model" text null, add column "visual_embedding_next" vector(512) null, add column "visual_embedding_next_model" text null;`,
    );
    this.addSql(`create index "scenes_search_vector_gin" on "scenes" using gin ("search_vector");`);

    this.addSql(`alter table "pipeline_jobs" add column "model" jsonb null, add column "note" text null;`);

    this.addSql(`alter table "faces" add column "expressions" jsonb null, add column "frame_count" int not null default 1;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "faces" drop column "expressions", drop column "frame_count";`);

    this.addSql(`alter table "pipeline_jobs" drop column "model", drop column "note";`);

    this.addSql(`drop index "scenes_search_vector_gin";`);
    this.addSql(
      `alter table "scenes" drop column "words", drop column "ocr_lines", drop column "tag_scores", drop column "frames", drop column "search_vector", drop column "text_embedding_next", drop column "text_embedding_next_model", drop column "visual_embedding_next", drop column "visual_embedding_next_model";`,
    );

    this.addSql(`alter table "videos" drop column "language";`);
  }
}
