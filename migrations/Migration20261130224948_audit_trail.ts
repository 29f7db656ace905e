import { Migration } from '@mikro-orm/migrations';

export class Migration20261130224948_audit_trail extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "audit_checkpoints" ("id" bigserial primary key, "through_seq" bigint not null, "hash" text not null, "archive_key" text not null, "events" int not null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(`alter table "audit_checkpoints" add constraint "audit_checkpoints_through_seq_uq" unique ("through_seq");`);

    this.addSql(`alter type "actor_role" add value if not exists 'anonymous' after 'system';`);

    this.addSql(`drop index "audit_events_actor_idx";`);
    this.addSql(`drop index "audit_events_resource_idx";`);

    this.addSql(`alter table "audit_events" add column "chain_seq" bigint null;`);
    this.addSql(`alter table "audit_events" alter column "at" type timestamptz(3) using ("at"::timestamptz(3));`);
    this.addSql(`create index "audit_events_unsealed_idx" on "audit_events" ("id") where "chain_seq" is null;`);
    this.addSql(`create index "audit_events_action_idx" on "audit_events" ("action", "at", "id");`);
    this.addSql(`alter table "audit_events" add constraint "audit_events_chain_seq_uq" unique ("chain_seq");`);
    this.addSql(`create index "audit_events_actor_idx" on "audit_events" ("actor_id", "at", "id");`);
    this.addSql(`create index "audit_events_resource_idx" on "audit_events" ("resource_type", "resource_id", "at", "id");`);

    // Hand-written: the audit trail is append-only in the database itself. An event is inserted
    // unsealed; the sealer may fill chain_seq, prev_hash and hash once, changing nothing else;
    // retention may delete events only inside a session that set heimdex.audit_retention and
    // only up to a checkpoint it wrote first. Anything else (an UPDATE of a sealed row, a
    // DELETE, TRUNCATE) is refused. A superuser can still disable triggers: that is what the
    // hash chain is for.
    this.addSql(`create function audit_events_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    if new.chain_seq is not null or new.prev_hash is not null or new.hash is not null then
      raise exception 'audit_events: events are inserted unsealed; only the sealer chains them' using errcode = '42501';
    end if;
    return new;
  elsif tg_op = 'UPDATE' then
    if old.chain_seq is null and old.prev_hash is null and old.hash is null
       and new.chain_seq is not null and new.prev_hash is not null and new.hash is not null
       and (new.id, new.at, new.actor_id, new.actor_role, new.action, new.resource_type, new.resource_id,
            new.outcome, new.ip, new.user_agent, new.request_id, new.details)
           is not distinct from
           (old.id, old.at, old.actor_id, old.actor_role, old.action, old.resource_type, old.resource_id,
            old.outcome, old.ip, old.user_agent, old.request_id, old.details) then
      return new;
    end if;
    raise exception 'audit_events is append-only: an event is sealed once and never changed' using errcode = '42501';
  end if;
  if current_setting('heimdex.audit_retention', true) = 'on' and old.chain_seq is not null
     and old.chain_seq <= (select max(through_seq) from audit_checkpoints) then
    return old;
  end if;
  raise exception 'audit_events is append-only: events are removed only by retention, after they are archived' using errcode = '42501';
end $$;`);
    this.addSql(
      `create trigger audit_events_append_only before insert or update or delete on audit_events for each row execute function audit_events_guard();`,
    );
    this.addSql(`create function audit_reject_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, lower(tg_op) using errcode = '42501';
end $$;`);
    this.addSql(`create trigger audit_events_no_truncate before truncate on audit_events for each statement execute function audit_reject_change();`);
    this.addSql(
      `create trigger audit_checkpoints_append_only before update or delete on audit_checkpoints for each statement execute function audit_reject_change();`,
    );
    this.addSql(`create trigger audit_checkpoints_no_truncate before truncate on audit_checkpoints for each statement execute function audit_reject_change();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists audit_events_append_only on audit_events;`);
    this.addSql(`drop trigger if exists audit_events_no_truncate on audit_events;`);
    this.addSql(`drop function if exists audit_events_guard();`);
    this.addSql(`drop table if exists "audit_checkpoints" cascade;`);
    this.addSql(`drop function if exists audit_reject_change();`);

    this.addSql(`drop index "audit_events_unsealed_idx";`);
    this.addSql(`drop index "audit_events_action_idx";`);
    this.addSql(`alter table "audit_events" drop constraint "audit_events_chain_seq_uq";`);
    this.addSql(`drop index "audit_events_resource_idx";`);
    this.addSql(`drop index "audit_events_actor_idx";`);
    this.addSql(`alter table "audit_events" drop column "chain_seq";`);

    this.addSql(`alter table "audit_events" alter column "at" type timestamptz(6) using ("at"::timestamptz(6));`);
    this.addSql(`create index "audit_events_resource_idx" on "audit_events" ("resource_type", "resource_id", "id");`);
    this.addSql(`create index "audit_events_actor_idx" on "audit_events" ("actor_id", "id");`);
  }
}
