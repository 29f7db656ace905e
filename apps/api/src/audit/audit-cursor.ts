import { BadRequestException } from '@nestjs/common';

/** Opaque keyset cursor over the event id (descending): stable while events are added. */
export function encodeAuditCursor(id: string): string {
  return Buffer.from(JSON.stringify(['a', id])).toString('base64url');
}

export function decodeAuditCursor(raw: string): string {
  try {
    const [tag, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    if (tag !== 'a' || typeof id !== 'string' || !/^\d{1,19}$/.test(id)) throw new Error('shape');
    return id;
  } catch {
    throw new BadRequestException('cursor is not valid: pass nextCursor from a previous page unchanged');
  }
}
