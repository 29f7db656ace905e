import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261130214106_people_faces } from './Migration20261130214106_people_faces';
import { Migration20261130214343_search } from './Migration20261130214343_search';
import { Migration20261130224948_audit_trail } from './Migration20261130224948_audit_trail';
import { Migration20261201013000_search_index_tuning } from './Migration20261201013000_search_index_tuning';
import { Migration20261202140000_vision_objects } from './Migration20261202140000_vision_objects';
import { Migration20261202143000_vision_moderation } from './Migration20261202143000_vision_moderation';
import { Migration20261202145000_language_detect } from './Migration20261202145000_language_detect';
import { Migration20261202150000_audit_checkpoint_proof } from './Migration20261202150000_audit_checkpoint_proof';
import { Migration20261202151000_transcript_source } from './Migration20261202151000_transcript_source';
import { Migration20261202160000_phonetic_keys } from './Migration20261202160000_phonetic_keys';
import { Migration20261202170000_committed_scene_copies } from './Migration20261202170000_committed_scene_copies';
import { Migration20261202171000_scene_language_stemming } from './Migration20261202171000_scene_language_stemming';
import { Migration20261122023427_pipeline_data } from './Migration20261122023427_pipeline_data';
import { Migration20261122000359_initial } from './Migration20261122000359_initial';

/**
 * Every migration, in order. Listed explicitly (no folder glob) so the compiled app, the
 * tests and the CLI all see the same set; `migrations-list.spec.ts` fails if a file in this
 * folder is missing here.
 */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261122000359_initial', class: Migration20261122000359_initial },
  { name: 'Migration20261122023427_pipeline_data', class: Migration20261122023427_pipeline_data },
  { name: 'Migration20261130214106_people_faces', class: Migration20261130214106_people_faces },
  { name: 'Migration20261130214343_search', class: Migration20261130214343_search },
  { name: 'Migration20261130224948_audit_trail', class: Migration20261130224948_audit_trail },
  { name: 'Migration20261201013000_search_index_tuning', class: Migration20261201013000_search_index_tuning },
  { name: 'Migration20261202140000_vision_objects', class: Migration20261202140000_vision_objects },
  { name: 'Migration20261202143000_vision_moderation', class: Migration20261202143000_vision_moderation },
  { name: 'Migration20261202145000_language_detect', class: Migration20261202145000_language_detect },
  { name: 'Migration20261202150000_audit_checkpoint_proof', class: Migration20261202150000_audit_checkpoint_proof },
  { name: 'Migration20261202151000_transcript_source', class: Migration20261202151000_transcript_source },
  { name: 'Migration20261202160000_phonetic_keys', class: Migration20261202160000_phonetic_keys },
  { name: 'Migration20261202170000_committed_scene_copies', class: Migration20261202170000_committed_scene_copies },
  { name: 'Migration20261202171000_scene_language_stemming', class: Migration20261202171000_scene_language_stemming },
];
