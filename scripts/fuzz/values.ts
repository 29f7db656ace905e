/** Deterministic pseudo-random numbers (mulberry32), so a run can be repeated with its seed. */
export class Rng {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The subset of JSON Schema that the OpenAPI document uses. */
export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  example?: unknown;
  default?: unknown;
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
}

/** Ids that exist, per owner: the fuzzing user's own and another user's. */
export interface KnownIds {
  own: string[];
  others: string[];
}

const HOSTILE_STRINGS = [
  'a\u0000b',
  '\u0000',
  '',
  ' ',
  'x'.repeat(10_000),
  '../../../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '%00',
  '\ud800',
  '😀'.repeat(300),
  '-000001-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '9'.repeat(400),
  'null',
  '{"a":1}',
];
const HOSTILE_NUMBERS: unknown[] = [0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, '9'.repeat(400), 'NaN', 'abc', null, true, [], {}];

/** A value that fits the schema (the happy path, so deeper code is reached). */
export function validValue(schema: Schema, rng: Rng, ids: KnownIds): unknown {
  if (schema.enum?.length) return rng.pick(schema.enum);
  if (schema.example !== undefined && rng.chance(0.5)) return schema.example;
  switch (schema.type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return rng.chance(0.5);
    case 'array':
      return schema.items ? [validValue(schema.items, rng, ids)] : [];
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, validValue(s, rng, ids)]));
    default:
      if (schema.format === 'uuid') return rng.pick([...ids.own, ...ids.others]);
      if (schema.format === 'date-time') return new Date(Date.now() - 3600_000).toISOString();
      return 'fuzz';
  }
}

/** A value at an edge or of the wrong kind: boundaries, NUL, huge numbers, other users' ids, wrong types. */
export function hostileValue(schema: Schema, rng: Rng, ids: KnownIds): unknown {
  const boundaries: unknown[] = [];
  if (schema.maxLength !== undefined) boundaries.push('y'.repeat(schema.maxLength), 'y'.repeat(schema.maxLength + 1));
  if (schema.minimum !== undefined) boundaries.push(schema.minimum - 1);
  if (schema.maximum !== undefined) boundaries.push(schema.maximum + 1);
  if (schema.format === 'uuid') boundaries.push(...ids.others, '00000000-0000-0000-0000-000000000000', 'not-a-uuid');
  const wrongType = schema.type === 'string' ? HOSTILE_NUMBERS : HOSTILE_STRINGS;
  return rng.pick([...boundaries, ...boundaries, ...HOSTILE_STRINGS, ...HOSTILE_NUMBERS, rng.pick(wrongType), deepValue(rng)]);
}

export function deepValue(rng: Rng): unknown {
  let v: unknown = 1;
  const depth = rng.pick([40, 200]);
  for (let i = 0; i < depth; i++) v = rng.chance(0.5) ? [v] : { a: v };
  return v;
}

/** Raw bodies no schema describes. */
export function hostileRawBody(rng: Rng): string {
  return rng.pick([
    '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
    '['.repeat(50_000) + ']'.repeat(50_000),
    '{"filename": "a.mp4",',
    'null',
    '"just a string"',
    '[]',
    JSON.stringify({ name: 'z'.repeat(200_000) }),
    '\u0000',
    '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}',
  ]);
}

/** As a query-string value. */
export function asQueryValue(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
}
