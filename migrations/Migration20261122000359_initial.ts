import { Migration } from '@mikro-orm/migrations';

export class Migration20261122000359_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists vector;`);
    this.addSql(`create type "actor_role" as enum ('user', 'admin', 'system');`);
    this.addSql(`create type "audit_outcome" as enum ('success', 'denied', 'error');`);
    this.addSql(`create type "video_state" as enum ('uploading', 'validating', 'processing', 'indexed', 'failed', 'deleted');`);
    this.addSql(
      `create type "job_stage" as enum ('upload_validate', 'audio_extract', 'asr_fast', 'scene_detect', 'align_merge', 'embed_text', 'vision_sample_frames', 'vision_embed_frames', 'vision_affect_tags', 'faces_enroll_match', 'sidecar_build', 'commit');`,
    );
    this.addSql(`create type "job_state" as enum ('pending', 'running', 'completed', 'failed', 'cancelled', 'skipped');`);
    this.addSql(`create type "face_source" as enum ('enrollment', 'detection');`);
    this.addSql(
      `create table "audit_events" ("id" bigserial primary key, "at" timestamptz not null default now(), "actor_id" uuid null, "actor_role" "actor_role" not null, "action" text not null, "resource_type" text null, "resource_id" text null, "outcome" "audit_outcome" not null, "ip" text null, "user_agent" text null, "request_id" text null, "details" jsonb null, "prev_hash" text null, "hash" text null);`,
    );
    this.addSql(`create index "audit_events_resource_idx" on "audit_events" ("resource_type", "resource_id", "id");`);
    this.addSql(`create index "audit_events_actor_idx" on "audit_events" ("actor_id", "id");`);
    this.addSql(`create index "audit_events_at_idx" on "audit_events" ("at", "id");`);

    this.addSql(
      `create table "outbox_messages" ("id" bigserial primary key, "job_name" text not null, "job_id" text not null, "payload" jsonb not null, "attempts" int not null default 0, "last_error" text null, "created_at" timestamptz not null default now(), "available_at" timestamptz not null default now(), "dispatched_at" timestamptz null);`,
    );
    this.addSql(`create index "outbox_messages_pending_idx" on "outbox_messages" ("available_at", "id") where "dispatched_at" is null;`);

    this.addSql(
      `create table "people" ("id" uuid not null, "user_id" uuid not null, "name" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "people_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "people_user_idx" on "people" ("user_id");`);

    this.addSql(
      `create table "videos" ("id" uuid not null, "user_id" uuid not null, "state" "video_state" not null default 'uploading', "title" text null, "description" text null, "filename" text not null, "content_type" text not null, "size_bytes" bigint not null, "storage_key" text not null, "duration_s" double precision null, "width" int null, "height" int null, "media_info" jsonb null, "error" text null, "pipeline_run" int not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "uploaded_at" timestamptz null, "indexed_at" timestamptz null, "deleted_at" timestamptz null, constraint "videos_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "videos_user_created_idx" on "videos" ("user_id", "created_at", "id");`);

    this.addSql(
      `create table "scenes" ("id" uuid not null, "video_id" uuid not null, "user_id" uuid not null, "index" int not null, "start_s" double precision not null, "end_s" double precision not null, "transcript" text not null default '', "ocr_text" text not null default '', "tags" text[] not null default '{}', "thumbnail_key" text null, "text_embedding" vector(384) null, "text_embedding_model" text null, "visual_embedding" vector(512) null, "visual_embedding_model" text null, "created_at" timestamptz not null default now(), constraint "scenes_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "scenes_user_idx" on "scenes" ("user_id");`);
    this.addSql(`create index "scenes_visual_embedding_hnsw" on "scenes" using hnsw ("visual_embedding" vector_cosine_ops);`);
    this.addSql(`create index "scenes_text_embedding_hnsw" on "scenes" using hnsw ("text_embedding" vector_cosine_ops);`);
    this.addSql(`alter table "scenes" add constraint "scenes_video_index_uq" unique ("video_id", "index");`);

    this.addSql(
      `create table "pipeline_jobs" ("id" uuid not null, "video_id" uuid not null, "stage" "job_stage" not null, "state" "job_state" not null default 'pending', "attempts" int not null default 0, "pipeline_run" int not null default 0, "started_at" timestamptz null, "finished_at" timestamptz null, "error" text null, "updated_at" timestamptz not null default now(), constraint "pipeline_jobs_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "pipeline_jobs" add constraint "pipeline_jobs_video_stage_uq" unique ("video_id", "stage");`);

    this.addSql(
      `create table "faces" ("id" uuid not null, "user_id" uuid not null, "source" "face_source" not null, "person_id" uuid null, "video_id" uuid null, "scene_id" uuid null, "embedding" vector(128) not null, "embedding_model" text not null, "confidence" double precision null, "frame_s" double precision null, "box" jsonb null, "thumbnail_key" text null, "created_at" timestamptz not null default now(), constraint "faces_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "faces_user_idx" on "faces" ("user_id");`);
    this.addSql(`create index "faces_embedding_hnsw" on "faces" using hnsw ("embedding" vector_cosine_ops);`);

    this.addSql(
      `alter table "scenes" add constraint "scenes_video_id_foreign" foreign key ("video_id") references "videos" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "pipeline_jobs" add constraint "pipeline_jobs_video_id_foreign" foreign key ("video_id") references "videos" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "faces" add constraint "faces_person_id_foreign" foreign key ("person_id") references "people" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "faces" add constraint "faces_video_id_foreign" foreign key ("video_id") references "videos" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "faces" add constraint "faces_scene_id_foreign" foreign key ("scene_id") references "scenes" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "faces" drop constraint "faces_person_id_foreign";`);

    this.addSql(`alter table "scenes" drop constraint "scenes_video_id_foreign";`);

    this.addSql(`alter table "pipeline_jobs" drop constraint "pipeline_jobs_video_id_foreign";`);

    this.addSql(`alter table "faces" drop constraint "faces_video_id_foreign";`);

    this.addSql(`alter table "faces" drop constraint "faces_scene_id_foreign";`);

    this.addSql(`drop table if exists "audit_events" cascade;`);

    this.addSql(`drop table if exists "outbox_messages" cascade;`);

    this.addSql(`drop table if exists "people" cascade;`);

    this.addSql(`drop table if exists "videos" cascade;`);

    this.addSql(`drop table if exists "scenes" cascade;`);

    this.addSql(`drop table if exists "pipeline_jobs" cascade;`);

    this.addSql(`drop table if exists "faces" cascade;`);

    this.addSql(`drop type "actor_role";`);
    this.addSql(`drop type "audit_outcome";`);
    this.addSql(`drop type "video_state";`);
    this.addSql(`drop type "job_stage";`);
    this.addSql(`drop type "job_state";`);
    this.addSql(`drop type "face_source";`);
  }
}
