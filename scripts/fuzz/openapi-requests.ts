import { asQueryValue, deepValue, hostileRawBody, hostileValue, KnownIds, Rng, Schema, validValue } from './values';

export interface FuzzRequest {
  method: string;
  /** Path with its parameters filled in, query string included. */
  url: string;
  headers: Record<string, string>;
  body?: string | FormData;
  /** The operation it was made from, e.g. `PATCH /v1/videos/{id}`. */
  operation: string;
}

/** Bearer tokens to send: the fuzzing user's, an admin's, another user's, and broken ones. */
export interface FuzzTokens {
  user: string;
  admin: string;
  other: string;
  broken: string[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/**
 * `count` requests over every path and method of the document, round-robin so each operation gets
 * its share: values that fit, values at the edges, hostile values, and any of the tokens.
 */
export function generateRequests(doc: OpenApiDocument, opts: { count: number; seed: number; ids: KnownIds; tokens: FuzzTokens }): FuzzRequest[] {
  const rng = new Rng(opts.seed);
  const ops: { path: string; method: string; op: Operation }[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) if (METHODS.has(method)) ops.push({ path, method: method.toUpperCase(), op });
  }
  const resolve = (s: Schema | undefined): Schema => {
    if (!s) return {};
    if (s.$ref) return resolve(doc.components?.schemas?.[s.$ref.split('/').pop() ?? '']);
    if (s.allOf?.length) return Object.assign({}, ...s.allOf.map(resolve)) as Schema;
    if (s.properties)
      return {
        ...s,
        properties: Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, resolve(v)])),
      };
    if (s.items) return { ...s, items: resolve(s.items) };
    return s;
  };
  const out: FuzzRequest[] = [];
  for (let i = 0; i < opts.count; i++) {
    const { path, method, op } = ops[i % ops.length];
    const round = Math.floor(i / ops.length);
    out.push(makeRequest(path, method, op, rng, opts, resolve, ROUNDS[round] ?? 'random'));
  }
  return out;
}

/**
 * The first rounds over the operations are systematic, so even a small run covers each class of
 * input on every operation with a valid token; then values are drawn at random.
 */
type Round = 'valid' | 'nul' | 'deep' | 'huge' | 'random';
const ROUNDS: Round[] = ['valid', 'nul', 'deep', 'huge'];
const ROUND_VALUES: Record<Exclude<Round, 'valid' | 'random'>, unknown> = {
  nul: 'a\u0000b',
  deep: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
  huge: '9'.repeat(400),
};

function makeRequest(
  path: string,
  method: string,
  op: Operation,
  rng: Rng,
  opts: { ids: KnownIds; tokens: FuzzTokens },
  resolve: (s: Schema | undefined) => Schema,
  round: Round,
): FuzzRequest {
  // Mostly hostile, sometimes entirely valid so the handlers behind validation run too.
  const hostility = round === 'random' ? rng.pick([0, 0.3, 0.6, 1]) : 0;
  const value = (schema: Schema) => {
    if (round !== 'random' && round !== 'valid') return schema.type === 'string' || round !== 'nul' ? ROUND_VALUES[round] : validValue(schema, rng, opts.ids);
    return rng.chance(hostility) ? hostileValue(schema, rng, opts.ids) : validValue(schema, rng, opts.ids);
  };
  const params = op.parameters ?? [];
  let url = path;
  for (const p of params.filter((x) => x.in === 'path')) {
    const schema = resolve(p.schema);
    const v = rng.chance(hostility) ? hostileValue({ ...schema, format: schema.format ?? 'uuid' }, rng, opts.ids) : rng.pick(opts.ids.own);
    url = url.replace(`{${p.name}}`, pathSegment(asQueryValue(v)));
  }
  const query = new URLSearchParams();
  for (const p of params.filter((x) => x.in === 'query')) {
    if (round === 'random' && !p.required && rng.chance(0.4)) continue;
    query.append(p.name, asQueryValue(value(resolve(p.schema))));
  }
  if (rng.chance(0.1)) query.append(rng.pick(['unknown', '__proto__', 'q[a][b]']), 'x');
  const qs = query.toString();
  const headers: Record<string, string> = {};
  const token =
    round !== 'random'
      ? path.startsWith('/v1/admin/')
        ? opts.tokens.admin
        : opts.tokens.user
      : rng.chance(0.75)
        ? rng.pick([opts.tokens.user, opts.tokens.user, opts.tokens.admin, opts.tokens.other])
        : rng.pick([...opts.tokens.broken, '']);
  if (token) headers.Authorization = `Bearer ${token}`;
  for (const p of params.filter((x) => x.in === 'header')) {
    if (rng.chance(0.7)) headers[p.name] = rng.pick(['1', 'v1,AAAA', String(Math.floor(Date.now() / 1000)), 'x'.repeat(300)]);
  }
  const req: FuzzRequest = {
    method,
    url: qs ? `${url}?${qs}` : url,
    headers,
    operation: `${method} ${path}`,
  };
  const content = op.requestBody?.content ?? {};
  if (content['application/json']) {
    headers['Content-Type'] = 'application/json';
    const schema = resolve(content['application/json'].schema);
    req.body =
      round === 'deep'
        ? '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)
        : round === 'random' && rng.chance(0.2)
          ? hostileRawBody(rng)
          : JSON.stringify(bodyFor(schema, rng, value, round === 'random'));
  } else if (content['multipart/form-data']) {
    const form = new FormData();
    const bytes = rng.pick([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from('not an image'), Buffer.alloc(0), Buffer.from('GIF89a\u0000\u0000')]);
    form.append(rng.pick(['image', 'image', 'file', 'x']), new Blob([bytes]), rng.pick(['a.png', 'a.jpg', '../../x', 'a\u0000.png']));
    req.body = form;
  }
  return req;
}

function bodyFor(schema: Schema, rng: Rng, value: (s: Schema) => unknown, random: boolean): unknown {
  if (random && rng.chance(0.05)) return deepValue(rng);
  const body: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (random && !schema.required?.includes(key) && rng.chance(0.3)) continue;
    body[key] = value(prop);
  }
  if (random && rng.chance(0.1)) body[rng.pick(['extra', '__proto__', 'constructor'])] = 'x';
  return body;
}

/** A lone surrogate cannot be percent-encoded: send U+FFFD in its place, like a browser. */
function pathSegment(value: string): string {
  return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, (c, i: number, all: string) => (isPaired(all, i) ? c : '\ufffd')));
}

function isPaired(s: string, i: number): boolean {
  const code = s.charCodeAt(i);
  if (code <= 0xdbff) return i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
  return i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff;
}
