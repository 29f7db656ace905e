import { Migration } from '@mikro-orm/migrations';

/**
 * Language identification: the language_detect stage and each scene's language. Placed before
 * sidecar_build (not after another new value), so nothing here reads a value this transaction added.
 */
export class Migration20261202145000_language_detect extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "job_stage" add value if not exists 'language_detect' before 'sidecar_build';`);
    this.addSql(`alter table "scenes" add column "language" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "scenes" drop column "language";`);
    this.addSql(`delete from "pipeline_jobs" where "stage" = 'language_detect';`);
  }
}
