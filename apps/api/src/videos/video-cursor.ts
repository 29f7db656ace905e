import { BadRequestException } from '@nestjs/common';

export interface VideoCursor {
  createdAt: Date;
  id: string;
}

/** Opaque keyset cursor over (created_at desc, id desc): stable while rows are added. */
export function encodeCursor(c: VideoCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt.toISOString(), c.id])).toString('base64url');
}

export function decodeCursor(raw: string): VideoCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    const createdAt = new Date(String(at));
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) throw new Error('shape');
    return { createdAt, id };
  } catch {
    throw new BadRequestException('cursor is not valid: pass nextCursor from a previous page unchanged');
  }
}
