import { Migration } from '@mikro-orm/migrations';

/**
 * Committed copies of scenes (`copy_of`): a re-run of an indexed video copies its scenes first, and
 * search serves the copies until the commit stage deletes them, so a re-run from a mid-pipeline
 * stage never shows half-rebuilt text. Scene indexes are unique among the working scenes only.
 * A change of the video's language (a re-run's language_detect) re-derives the working scenes'
 * full-text documents only; a new title or description reaches the copies too.
 */
export class Migration20261202170000_committed_scene_copies extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "scenes" add column "copy_of" uuid null;`);
    this.addSql(`alter table "scenes" drop constraint "scenes_video_index_uq";`);
    this.addSql(`create unique index "scenes_video_index_uq" on "scenes" ("video_id", "index") where "copy_of" is null;`);
    this.addSql(`create index "scenes_copy_of_idx" on "scenes" ("copy_of") where "copy_of" is not null;`);
    this.addSql(`create or replace function heimdex_video_search_fields() returns trigger language plpgsql as $$
begin
  if old.title is distinct from new.title or old.description is distinct from new.description then
    -- Touching the transcript runs the scene trigger, which reads the new title, description and language.
    update scenes set transcript = transcript where video_id = new.id;
  elsif old.language is distinct from new.language then
    update scenes set transcript = transcript where video_id = new.id and copy_of is null;
  end if;
  return null;
end
$$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function heimdex_video_search_fields() returns trigger language plpgsql as $$
begin
  if old.title is distinct from new.title or old.description is distinct from new.description or old.language is distinct from new.language then
    update scenes set transcript = transcript where video_id = new.id;
  end if;
  return null;
end
$$;`);
    this.addSql(`delete from "scenes" where "copy_of" is not null;`);
    this.addSql(`drop index "scenes_copy_of_idx";`);
    this.addSql(`drop index "scenes_video_index_uq";`);
    this.addSql(`alter table "scenes" add constraint "scenes_video_index_uq" unique ("video_id", "index");`);
    this.addSql(`alter table "scenes" drop column "copy_of";`);
  }
}
