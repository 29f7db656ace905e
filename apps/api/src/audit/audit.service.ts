import { Injectable } from '@nestjs/common';
import { AuditSealer, AuditVerifier } from '@heimdex/audit';
import type { AuditEvent } from '@heimdex/db';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import { AuditPosition, decodeAuditCursor, encodeAuditCursor } from './audit-cursor';
import type { AuditFilterQuery, AuditListQuery, ExportFormat } from './dto/audit-query';
import type { AuditEventDto, AuditPageDto, AuditVerifyDto } from './dto/audit-event.dto';
import { AuditRepository } from './audit.repository';

const EXPORT_BATCH = 1000;
const CSV_COLUMNS: (keyof AuditEventDto)[] = [
  'id',
  'at',
  'actorId',
  'actorRole',
  'action',
  'resourceType',
  'resourceId',
  'outcome',
  'ip',
  'userAgent',
  'requestId',
  'details',
  'chainSeq',
  'prevHash',
  'hash',
];

@Injectable()
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly sealer: AuditSealer,
    private readonly verifier: AuditVerifier,
  ) {}

  async list(q: AuditListQuery): Promise<AuditPageDto> {
    const limit = q.limit ?? 50;
    const rows = await this.repo.page(q, limit + 1, q.cursor ? decodeAuditCursor(q.cursor) : undefined);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toAuditEventDto), nextCursor: rows.length > limit && last ? encodeAuditCursor({ at: last.at, id: last.id }) : null };
  }

  /**
   * The matching events, oldest first, as a byte stream. Rows are read in keyset batches only
   * when the consumer wants more (Readable.from pulls the generator), so a slow client holds
   * one batch in memory, not the table.
   */
  export(filter: AuditFilterQuery, format: ExportFormat): Readable {
    const events = Readable.from(this.events(filter));
    if (format === 'ndjson') return events.map((e: AuditEventDto) => `${JSON.stringify(e)}\n`);
    return events.pipe(
      stringify({
        header: true,
        columns: CSV_COLUMNS,
        cast: { date: (d) => d.toISOString(), object: (o) => JSON.stringify(o) },
      }),
    );
  }

  /** Chains what is committed so far, then recomputes the whole chain from the last checkpoint. */
  async verify(): Promise<AuditVerifyDto> {
    await this.sealer.sealPending();
    return this.verifier.verify();
  }

  private async *events(filter: AuditFilterQuery): AsyncGenerator<AuditEventDto> {
    const upTo = await this.repo.maxId();
    if (!upTo) return;
    let after: AuditPosition | undefined;
    for (;;) {
      const batch = await this.repo.batch(filter, EXPORT_BATCH, upTo, after);
      for (const e of batch) yield toAuditEventDto(e);
      if (batch.length < EXPORT_BATCH) return;
      const last = batch[batch.length - 1];
      after = { at: last.at, id: last.id };
    }
  }
}

function toAuditEventDto(e: AuditEvent): AuditEventDto {
  return {
    id: e.id,
    at: e.at,
    actorId: e.actorId,
    actorRole: e.actorRole,
    action: e.action,
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    ip: e.ip,
    userAgent: e.userAgent,
    requestId: e.requestId,
    outcome: e.outcome,
    details: e.details,
    chainSeq: e.chainSeq,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}
