import { Migration } from '@mikro-orm/migrations';

/**
 * Content moderation: the vision_moderation stage, the scenes' classifier scores and rating, and
 * the video's rating. The stage is placed before sidecar_build (not after another new value) so
 * no statement here reads a value added in this transaction.
 */
export class Migration20261202143000_vision_moderation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "job_stage" add value if not exists 'vision_moderation' before 'sidecar_build';`);
    this.addSql(`create type "content_rating" as enum ('safe', 'questionable', 'explicit');`);
    this.addSql(`alter table "scenes" add column "moderation" jsonb null, add column "content_rating" "content_rating" null;`);
    this.addSql(`alter table "videos" add column "content_rating" "content_rating" null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "videos" drop column "content_rating";`);
    this.addSql(`alter table "scenes" drop column "moderation", drop column "content_rating";`);
    this.addSql(`drop type "content_rating";`);
    this.addSql(`delete from "pipeline_jobs" where "stage" = 'vision_moderation';`);
  }
}
