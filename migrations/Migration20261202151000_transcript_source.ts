import { Migration } from '@mikro-orm/migrations';

/**
 * Where each scene's transcript came from: `captions` (an embedded subtitle stream or an uploaded
 * caption file) or `asr` (speech recognition); null when the scene has no transcript words. Plain
 * text rather than a native enum: a later value needs no `ALTER TYPE ... ADD VALUE`, which cannot
 * run inside a migration's transaction.
 * Scenes indexed before this have their words from speech recognition.
 */
export class Migration20261202151000_transcript_source extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "scenes" add column "transcript_source" text null;`);
    this.addSql(`update "scenes" set "transcript_source" = 'asr' where jsonb_array_length("words") > 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "scenes" drop column "transcript_source";`);
  }
}
