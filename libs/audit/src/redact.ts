/** Keys whose values never reach the audit trail, at any depth. */
const SECRET_KEY = /pass(word|phrase)?|secret|token|ticket|session|authori[sz]ation|cookie|signature|api[-_]?key|credential|private[-_]?key|^sig$|^otp$/i;
/** A JWT (three base64url parts, header starting with `{"`). */
const JWT = /^eyJ[\w-]+\.[\w-]+\.[\w-]*$/;
/** Query parameters that make a URL a credential (presigned S3 / embedded storage URLs, tokens). */
const SIGNED_QUERY = /[?&](X-Amz-[^=]*|X-Heimdex-[^=]*|signature|sig|token|access_token|key)=/i;

const MAX_STRING = 500;
const MAX_DEPTH = 4;
const MAX_KEYS = 40;
const MAX_ITEMS = 20;
export const REDACTED = '[redacted]';

/**
 * A copy of `value` fit for the audit trail: secrets, tokens, signatures and presigned URLs
 * removed, long strings cut, deep or wide structures trimmed. Never throws.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return redactString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => redact(v, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `[+${value.length - MAX_ITEMS} more]`] : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const entries = Object.entries(value as Record<string, unknown>);
    for (const [key, v] of entries.slice(0, MAX_KEYS)) out[key] = SECRET_KEY.test(key) ? REDACTED : redact(v, depth + 1);
    if (entries.length > MAX_KEYS) out['[more keys]'] = entries.length - MAX_KEYS;
    return out;
  }
  return String(value);
}

function redactString(s: string): string {
  if (JWT.test(s) || /^Bearer\s/i.test(s)) return REDACTED;
  if (/^https?:\/\//i.test(s) && SIGNED_QUERY.test(s)) return `${s.slice(0, s.indexOf('?'))}?${REDACTED}`;
  return s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…[${s.length - MAX_STRING} more chars]` : s;
}

/** Redacted details as a plain object (what the jsonb column stores). */
export function redactDetails(details: Record<string, unknown>): Record<string, unknown> {
  return redact(details) as Record<string, unknown>;
}
