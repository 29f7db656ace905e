import { BadRequestException } from '@nestjs/common';

/** A position in the (at, id) order of audit events. */
export interface AuditPosition {
  at: Date;
  id: string;
}

/** Opaque keyset cursor over (at desc, id desc): stable while events are added. */
export function encodeAuditCursor(p: AuditPosition): string {
  return Buffer.from(JSON.stringify(['a', p.at.toISOString(), p.id])).toString('base64url');
}

export function decodeAuditCursor(raw: string): AuditPosition {
  try {
    const [tag, at, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown, unknown];
    const when = new Date(String(at));
    if (tag !== 'a' || typeof id !== 'string' || !/^\d{1,19}$/.test(id) || Number.isNaN(when.getTime())) throw new Error('shape');
    return { at: when, id };
  } catch {
    throw new BadRequestException('cursor is not valid: pass nextCursor from a previous page unchanged');
  }
}
