import { Migration } from '@mikro-orm/migrations';

/**
 * Search: the scene's full-text document now also covers its tags and the video's title and
 * description, stemmed in the video's language where Postgres has a configuration for it, and a
 * plain-text copy feeds pg_trgm typo tolerance. Both are written by triggers (hand-written below:
 * the ORM cannot express functions or triggers) because a generated column cannot read the
 * video row. Both text indexes lead with the owner (btree_gin), since every search is one owner's.
 */
export class Migration20261130214343_search extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create extension if not exists btree_gin;`);

    this.addSql(`alter table "scenes" drop column "search_vector";`);

    this.addSql(`alter table "scenes" add column "search_text" text null, add column "search_vector" tsvector null;`);

    // ISO 639-1 → a text search configuration this server has; 'simple' (no stemming) otherwise.
    this.addSql(`create function heimdex_text_search_config(lang text) returns regconfig language sql stable as $$
  select coalesce(
    (select c.oid::regconfig from pg_catalog.pg_ts_config c
      where c.cfgname = case lower(split_part(coalesce(lang, ''), '-', 1))
        when 'ar' then 'arabic' when 'hy' then 'armenian' when 'eu' then 'basque' when 'ca' then 'catalan'
        when 'da' then 'danish' when 'nl' then 'dutch' when 'en' then 'english' when 'fi' then 'finnish'
        when 'fr' then 'french' when 'de' then 'german' when 'el' then 'greek' when 'hi' then 'hindi'
        when 'hu' then 'hungarian' when 'id' then 'indonesian' when 'ga' then 'irish' when 'it' then 'italian'
        when 'lt' then 'lithuanian' when 'ne' then 'nepali' when 'no' then 'norwegian' when 'nb' then 'norwegian'
        when 'nn' then 'norwegian' when 'pt' then 'portuguese' when 'ro' then 'romanian' when 'ru' then 'russian'
        when 'sr' then 'serbian' when 'es' then 'spanish' when 'sv' then 'swedish' when 'ta' then 'tamil'
        when 'tr' then 'turkish' when 'yi' then 'yiddish' end
      and c.cfgnamespace = 'pg_catalog'::regnamespace),
    'simple'::regconfig)
$$;`);

    this.addSql(`create function heimdex_scene_search_fields() returns trigger language plpgsql as $$
declare
  v record;
  cfg regconfig;
  tag_text text := array_to_string(new.tags, ' ');
begin
  select title, description, language into v from videos where id = new.video_id;
  cfg := heimdex_text_search_config(v.language);
  new.search_vector :=
       setweight(to_tsvector('simple', new.transcript), 'A')
    || setweight(to_tsvector('simple', new.ocr_text), 'B')
    || setweight(to_tsvector('simple', tag_text), 'C')
    || setweight(to_tsvector('simple', concat_ws(' ', v.title, v.description)), 'D');
  if cfg <> 'simple'::regconfig then
    new.search_vector := new.search_vector
      || setweight(to_tsvector(cfg, new.transcript), 'A')
      || setweight(to_tsvector(cfg, new.ocr_text), 'B');
  end if;
  new.search_text := concat_ws(' ', nullif(new.transcript, ''), nullif(new.ocr_text, ''), nullif(tag_text, ''), v.title, v.description);
  return new;
end
$$;`);
    this.addSql(`create trigger scenes_search_fields before insert or update of transcript, ocr_text, tags, video_id on scenes
  for each row execute function heimdex_scene_search_fields();`);

    // The columns are compared in the body, not in the trigger's WHEN or UPDATE OF: those would make
    // the trigger depend on them, and the schema drift test drops and re-adds a videos column.
    this.addSql(`create function heimdex_video_search_fields() returns trigger language plpgsql as $$
begin
  if old.title is distinct from new.title or old.description is distinct from new.description or old.language is distinct from new.language then
    -- Touching the transcript runs the scene trigger, which reads the new title, description and language.
    update scenes set transcript = transcript where video_id = new.id;
  end if;
  return null;
end
$$;`);
    this.addSql(`create trigger videos_search_fields after update on videos for each row execute function heimdex_video_search_fields();`);

    this.addSql(`update scenes set transcript = transcript;`);
    // Owner first (btree_gin): a search reads only the caller's matches, not everyone's.
    this.addSql(`create index "scenes_search_vector_gin" on "scenes" using gin ("user_id", "search_vector");`);
    this.addSql(`create index "scenes_search_text_trgm" on "scenes" using gin ("user_id", "search_text" gin_trgm_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger videos_search_fields on videos;`);
    this.addSql(`drop trigger scenes_search_fields on scenes;`);
    this.addSql(`drop function heimdex_video_search_fields();`);
    this.addSql(`drop function heimdex_scene_search_fields();`);
    this.addSql(`drop function heimdex_text_search_config(text);`);
    this.addSql(`drop index "scenes_search_text_trgm";`);
    this.addSql(`alter table "scenes" drop column "search_vector", drop column "search_text";`);

    this.addSql(
      `alter table "scenes" add column "search_vector" tsvector generated always as (setweight(to_tsvector('simple'::regconfig, transcript), 'A'::"char") || setweight(to_tsvector('simple'::regconfig, ocr_text), 'B'::"char")) stored null;`,
    );
    this.addSql(`create index "scenes_search_vector_gin" on "scenes" using gin ("search_vector");`);
  }
}
