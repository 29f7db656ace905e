import { Migration } from '@mikro-orm/migrations';

/**
 * What makes a retention checkpoint provable: where its archive starts and what it links to, the
 * SHA-256 of the archive object, and an HMAC over all of it with a key the database does not hold.
 * Checkpoints written before this have none of these and fail verification until re-archived.
 */
export class Migration20261202150000_audit_checkpoint_proof extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "audit_checkpoints" add column "from_seq" bigint null, add column "prev_hash" text null, add column "archive_sha256" text null, add column "mac" text null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "audit_checkpoints" drop column "from_seq", drop column "prev_hash", drop column "archive_sha256", drop column "mac";`);
  }
}
