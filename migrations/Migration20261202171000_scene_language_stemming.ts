import { Migration } from '@mikro-orm/migrations';

/**
 * Each scene's full-text document is stemmed in the scene's own language (language_detect), then
 * the video's, then not at all (`simple`): a video with English and Spanish scenes stems each in
 * its language. The trigger now also runs when a scene's language changes.
 */
export class Migration20261202171000_scene_language_stemming extends Migration {
  override async up(): Promise<void> {
    this.addSql(searchFields('coalesce(new.language, v.language)'));
    this.addSql(`drop trigger scenes_search_fields on scenes;`);
    this.addSql(`create trigger scenes_search_fields before insert or update of transcript, ocr_text, tags, video_id, language on scenes
  for each row execute function heimdex_scene_search_fields();`);
    this.addSql(`update scenes set transcript = transcript where language is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(searchFields('v.language'));
    this.addSql(`drop trigger scenes_search_fields on scenes;`);
    this.addSql(`create trigger scenes_search_fields before insert or update of transcript, ocr_text, tags, video_id on scenes
  for each row execute function heimdex_scene_search_fields();`);
    this.addSql(`update scenes set transcript = transcript where language is not null;`);
  }
}

/** The scene trigger's function, stemming in the language `language` names (an expression over `new` and the video `v`). */
function searchFields(language: string): string {
  return `create or replace function heimdex_scene_search_fields() returns trigger language plpgsql as $$
declare
  v record;
  cfg regconfig;
  tag_text text := array_to_string(new.tags, ' ');
begin
  select title, description, language into v from videos where id = new.video_id;
  cfg := heimdex_text_search_config(${language});
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
$$;`;
}
