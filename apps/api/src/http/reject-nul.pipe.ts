import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/**
 * Postgres text cannot hold U+0000, and no field of this API means one: a NUL anywhere in a
 * body, query or path parameter is a 400 naming the field, before any handler runs.
 */
@Injectable()
export class RejectNulPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const path = findNul(value, metadata.data ?? metadata.type, 0);
    if (path !== null) throw new BadRequestException(`${path} must not contain NUL characters`);
    return value;
  }
}

/** The path of the first string holding a NUL (keys included), or null. Depth is bounded by the body parser. */
function findNul(value: unknown, path: string, depth: number): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object' || depth > 64 || Buffer.isBuffer(value)) return null;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === 'body' || path === 'query' || path === 'param' ? key : `${path}.${key}`;
    if (key.includes('\u0000')) return childPath;
    const found = findNul(child, childPath, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
