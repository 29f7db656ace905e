import { Migration } from '@mikro-orm/migrations';

export class Migration20261130214106_people_faces extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "face_index_states" ("user_id" uuid not null, "revision" int not null default 0, "cluster_params" text null, "updated_at" timestamptz not null default now(), constraint "face_index_states_pkey" primary key ("user_id"));`,
    );

    this.addSql(
      `create table "face_clusters" ("id" uuid not null, "user_id" uuid not null, "embedding_model" text not null, "size" int not null default 0, "representative_face_id" uuid null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "face_clusters_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "face_clusters_user_idx" on "face_clusters" ("user_id");`);

    this.addSql(
      `alter table "face_clusters" add constraint "face_clusters_representative_face_id_foreign" foreign key ("representative_face_id") references "faces" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "faces" add column "cluster_id" uuid null, add column "clustered" boolean not null default false, add column "photo_key" text null;`,
    );
    this.addSql(
      `alter table "faces" add constraint "faces_cluster_id_foreign" foreign key ("cluster_id") references "face_clusters" ("id") on update cascade on delete set null;`,
    );
    this.addSql(`create index "faces_person_idx" on "faces" ("person_id");`);
    this.addSql(`create index "faces_cluster_idx" on "faces" ("cluster_id");`);
    this.addSql(`create index "faces_unnamed_idx" on "faces" ("user_id", "embedding_model") where "source" = 'detection' and "person_id" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "faces" drop constraint "faces_cluster_id_foreign";`);

    this.addSql(`drop table if exists "face_index_states" cascade;`);

    this.addSql(`drop table if exists "face_clusters" cascade;`);

    this.addSql(`drop index "faces_person_idx";`);
    this.addSql(`drop index "faces_cluster_idx";`);
    this.addSql(`drop index "faces_unnamed_idx";`);
    this.addSql(`alter table "faces" drop column "cluster_id", drop column "clustered", drop column "photo_key";`);
  }
}
