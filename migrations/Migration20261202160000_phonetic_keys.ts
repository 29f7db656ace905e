import { Migration } from '@mikro-orm/migrations';

/**
 * Search that tolerates speech recognition errors: `phonetic_keys` holds the Double Metaphone keys
 * (fuzzystrmatch's dmetaphone and dmetaphone_alt) of the words of a transcript that came from speech
 * recognition, so a query word also finds a word that sounds alike ("night" finds a misheard
 * "nite"). Captions are typed by people and on-screen text is read, not heard: their scenes get no
 * keys. Words are the `simple` configuration's lexemes, as in the full-text document. Written by a
 * trigger like the search document; the owner leads the index (btree_gin) as every search is one owner's.
 */
export class Migration20261202160000_phonetic_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists fuzzystrmatch;`);
    this.addSql(`alter table "scenes" add column "phonetic_keys" text[] not null default '{}';`);
    this.addSql(`create function heimdex_phonetic_keys(words text) returns text[] language sql immutable as $$
  select coalesce(array_agg(distinct k) filter (where k <> ''), '{}')
    from unnest(tsvector_to_array(to_tsvector('simple', coalesce(words, '')))) w
    cross join lateral unnest(array[dmetaphone(w), dmetaphone_alt(w)]) k
$$;`);
    this.addSql(`create function heimdex_scene_phonetic_keys() returns trigger language plpgsql as $$
begin
  new.phonetic_keys := case when new.transcript_source = 'asr' then heimdex_phonetic_keys(new.transcript) else '{}' end;
  return new;
end
$$;`);
    this.addSql(`create trigger scenes_phonetic_keys before insert or update of transcript, transcript_source on scenes
  for each row execute function heimdex_scene_phonetic_keys();`);
    this.addSql(`update scenes set phonetic_keys = heimdex_phonetic_keys(transcript) where transcript_source = 'asr';`);
    this.addSql(`create index "scenes_phonetic_keys_gin" on "scenes" using gin ("user_id", "phonetic_keys");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger scenes_phonetic_keys on scenes;`);
    this.addSql(`drop function heimdex_scene_phonetic_keys();`);
    this.addSql(`drop function heimdex_phonetic_keys(text);`);
    this.addSql(`drop index "scenes_phonetic_keys_gin";`);
    this.addSql(`alter table "scenes" drop column "phonetic_keys";`);
  }
}
