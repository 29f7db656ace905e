import { Migration } from '@mikro-orm/migrations';

/**
 * Objects: the vision_objects stage (COCO objects on the analysis frames) and the scenes'
 * `objects` column with a GIN index for `GET /v1/search?objects=`. The new enum value is only
 * added here, never used in this transaction (Postgres refuses a value in the transaction that
 * added it), so PGlite and native Postgres run this the same way.
 */
export class Migration20261202140000_vision_objects extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "job_stage" add value if not exists 'vision_objects' after 'faces_enroll_match';`);
    this.addSql(`alter table "scenes" add column "objects" jsonb not null default '[]';`);
    this.addSql(`create index "scenes_objects_gin" on "scenes" using gin ("objects" jsonb_path_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "scenes_objects_gin";`);
    this.addSql(`alter table "scenes" drop column "objects";`);
    // Postgres cannot drop an enum value: pipeline rows of the stage go, the value stays unused.
    this.addSql(`delete from "pipeline_jobs" where "stage" = 'vision_objects';`);
  }
}
