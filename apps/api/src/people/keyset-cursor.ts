import { BadRequestException } from '@nestjs/common';

/** Opaque keyset cursor over (a sort key, id): people by name, clusters by size. */
export interface KeysetCursor<K extends string | number> {
  key: K;
  id: string;
}

export function encodeKeyset<K extends string | number>(c: KeysetCursor<K>): string {
  return Buffer.from(JSON.stringify([c.key, c.id])).toString('base64url');
}

export function decodeKeyset<K extends 'string' | 'number'>(raw: string, keyType: K): KeysetCursor<K extends 'string' ? string : number> {
  try {
    const [key, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof key !== keyType || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('shape');
    return { key: key as K extends 'string' ? string : number, id };
  } catch {
    throw new BadRequestException('cursor is not valid: pass nextCursor from a previous page unchanged');
  }
}
