import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Written by audit retention when it archives the oldest part of the chain and removes it:
 * the last removed event's chain position and hash, where verification of what remains starts.
 */
@Entity({ tableName: 'audit_checkpoints' })
export class AuditCheckpoint {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  /** Chain position of the last archived (and removed) event. */
  @Property({ type: new BigIntType('string'), unique: 'audit_checkpoints_through_seq_uq' })
  throughSeq!: string;

  /** Its hash: the prevHash the next event must carry. */
  @Property({ type: 'text' })
  hash!: string;

  /** Object key of the NDJSON archive holding the removed events. */
  @Property({ type: 'text' })
  archiveKey!: string;

  @Property({ type: 'integer' })
  events!: number;

  /** First chain position in the archive; null on checkpoints written before checkpoints were signed. */
  @Property({ type: new BigIntType('string'), nullable: true })
  fromSeq?: string | null;

  /** The hash the archive's first event links to (the previous checkpoint's, or genesis). */
  @Property({ type: 'text', nullable: true })
  prevHash?: string | null;

  /** SHA-256 (hex) of the archive object as stored. */
  @Property({ type: 'text', nullable: true })
  archiveSha256?: string | null;

  /** HMAC-SHA256 of all of the above with AUDIT_CHECKPOINT_KEY (see audit-checkpoint-proof.ts). */
  @Property({ type: 'text', nullable: true })
  mac?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
