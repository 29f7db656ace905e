import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidObjectKeyError } from './storage.errors';
import { assertValidObjectKey } from './storage.validation';

export type SignedRequestQuery = Record<string, string | string[] | undefined>;

export interface VerifySignedRequestInput {
  /** The HTTP method of the request being served (a HEAD is verified as GET by the caller). */
  method: string;
  bucket: string;
  /** The decoded object key from the request path. */
  key: string;
  query: SignedRequestQuery;
  now?: Date;
}

/** What a valid URL allows: PUT grants carry maxBytes and contentType, GET grants may carry downloadName. */
export interface SignedRequestGrant {
  ok: true;
  maxBytes?: number;
  contentType?: string;
  downloadName?: string;
}

export interface SignedRequestRejection {
  ok: false;
  /** 400: the URL is malformed; 403: it is not a valid signature for this request (tampered, expired, wrong method or bucket). */
  status: 403 | 400;
  reason: string;
}

export type SignedRequestVerdict = SignedRequestGrant | SignedRequestRejection;

/** The query parameters of a presigned URL, in the order they appear in it. */
export const SIGNED_URL_PARAMS = {
  method: 'X-Heimdex-Method',
  expires: 'X-Heimdex-Expires',
  maxBytes: 'X-Heimdex-Max-Bytes',
  contentType: 'X-Heimdex-Content-Type',
  downloadName: 'X-Heimdex-Download-Name',
  signature: 'X-Heimdex-Signature',
} as const;

const P = SIGNED_URL_PARAMS;
const SIGNATURE_ALGORITHM = 'HEIMDEX-HMAC-SHA256';
const PARAM_PREFIX = 'x-heimdex-';
const KNOWN_PARAMS = new Set<string>(Object.values(P));
const PARAMS_BY_METHOD: Record<'PUT' | 'GET', { required: readonly string[]; optional: readonly string[] }> = {
  PUT: { required: [P.method, P.expires, P.maxBytes, P.contentType], optional: [] },
  GET: { required: [P.method, P.expires], optional: [P.downloadName] },
};
const DIGITS = /^\d{1,15}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Presigned URLs of the embedded store: `<publicUrl>/storage/<bucket>/<key>?X-Heimdex-...`,
 * authorised by an HMAC-SHA256 signature over these lines joined by "\n" (no trailing newline):
 *
 *     HEIMDEX-HMAC-SHA256
 *     <method: PUT or GET>
 *     <bucket, encodeURIComponent>
 *     <key, encodeURIComponent>
 *     <name>=<value, encodeURIComponent>   one line for each X-Heimdex-* parameter except
 *                                          X-Heimdex-Signature, sorted by name
 *
 * Percent-encoding keeps every item on one line, so no value can forge another line.
 */
export class LocalUrlSigner {
  constructor(
    private readonly bucket: string,
    private readonly signingKey: string,
    private readonly publicUrl: string,
  ) {}

  signedUrl(method: 'PUT' | 'GET', key: string, params: Map<string, string>): string {
    const signature = this.sign(method, this.bucket, key, params).toString('hex');
    const query = new URLSearchParams([...params, [P.signature, signature]]);
    const path = key.split('/').map(encodeURIComponent).join('/');
    return `${this.publicUrl}/storage/${encodeURIComponent(this.bucket)}/${path}?${query.toString()}`;
  }

  private sign(method: string, bucket: string, key: string, params: Map<string, string>): Buffer {
    const lines = [SIGNATURE_ALGORITHM, method, encodeURIComponent(bucket), encodeURIComponent(key)];
    const names = [...params.keys()].filter((name) => name !== P.signature).sort();
    for (const name of names) lines.push(`${name}=${encodeURIComponent(params.get(name) ?? '')}`);
    return createHmac('sha256', this.signingKey).update(lines.join('\n'), 'utf8').digest();
  }

  /** Checks a request against the presigned URL it came with. Never throws for bad input. */
  verify(input: VerifySignedRequestInput): SignedRequestVerdict {
    const params = new Map<string, string>();
    for (const [name, value] of Object.entries(input.query)) {
      if (!name.toLowerCase().startsWith(PARAM_PREFIX)) continue;
      if (!KNOWN_PARAMS.has(name)) return reject(400, `unknown parameter ${name}`);
      if (value === undefined) continue;
      if (typeof value !== 'string') return reject(400, `${name} is given more than once`);
      params.set(name, value);
    }

    const signedMethod = params.get(P.method);
    if (signedMethod !== 'PUT' && signedMethod !== 'GET') return reject(400, `${P.method} must be PUT or GET`);
    const allowed = PARAMS_BY_METHOD[signedMethod];
    for (const name of allowed.required) if (!params.has(name)) return reject(400, `missing ${name}`);
    for (const name of params.keys()) {
      if (name !== P.signature && !allowed.required.includes(name) && !allowed.optional.includes(name))
        return reject(400, `${name} does not belong in a ${signedMethod} URL`);
    }
    const signature = params.get(P.signature);
    if (signature === undefined) return reject(400, `missing ${P.signature}`);
    const expires = params.get(P.expires) ?? '';
    if (!DIGITS.test(expires)) return reject(400, `${P.expires} must be a unix time in seconds`);
    const maxBytes = params.get(P.maxBytes);
    if (maxBytes !== undefined && !DIGITS.test(maxBytes)) return reject(400, `${P.maxBytes} must be a whole number`);
    try {
      assertValidObjectKey(input.key);
    } catch (err: unknown) {
      if (err instanceof InvalidObjectKeyError) return reject(400, err.message);
      throw err;
    }

    let expected: Buffer;
    try {
      expected = this.sign(signedMethod, input.bucket, input.key, params);
    } catch (err: unknown) {
      if (err instanceof URIError) return reject(400, 'a parameter is not well-formed Unicode');
      throw err;
    }
    if (!HEX_SHA256.test(signature) || !timingSafeEqual(Buffer.from(signature, 'hex'), expected)) return reject(403, 'the signature does not match this URL');
    // The checks below concern signed values, so they can only fail for a genuine URL used out of place.
    if (input.bucket !== this.bucket) return reject(403, `this URL is for bucket ${input.bucket}, not ${this.bucket}`);
    if (input.method.toUpperCase() !== signedMethod) return reject(403, `this URL is signed for ${signedMethod}, not ${input.method.toUpperCase()}`);
    if ((input.now ?? new Date()).getTime() >= Number(expires) * 1000) return reject(403, 'this URL has expired');

    if (signedMethod === 'PUT') return { ok: true, maxBytes: Number(maxBytes), contentType: params.get(P.contentType) };
    const downloadName = params.get(P.downloadName);
    return downloadName === undefined ? { ok: true } : { ok: true, downloadName };
  }
}

function reject(status: 400 | 403, reason: string): SignedRequestRejection {
  return { ok: false, status, reason };
}
