import type { AppConfig } from '@heimdex/config';
import { createHmac, randomUUID } from 'node:crypto';
import { mintDevToken } from '../dev-token';
import type { FuzzTokens } from './openapi-requests';
import type { KnownIds } from './values';

/** Tokens for the fuzzing user, an admin and another user, and forged or broken ones. */
export async function fuzzTokens(config: AppConfig): Promise<{ tokens: FuzzTokens; userId: string; otherId: string }> {
  const userId = randomUUID();
  const otherId = randomUUID();
  const secret = config.auth.jwtSecret ?? '';
  const now = Math.floor(Date.now() / 1000);
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const signed = (header: unknown, payload: unknown) => {
    const input = `${enc(header)}.${enc(payload)}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  };
  const claims = {
    sub: userId,
    aud: config.auth.audience,
    iat: now,
    exp: now + 3600,
  };
  return {
    userId,
    otherId,
    tokens: {
      user: await mintDevToken(config, { sub: userId }),
      admin: await mintDevToken(config, { role: 'admin' }),
      other: await mintDevToken(config, { sub: otherId }),
      broken: [
        'not.a.jwt',
        `${enc({ alg: 'none' })}.${enc(claims)}.`,
        signed(null, claims),
        signed({ alg: 'HS256' }, { ...claims, iat: now + 10 * 365 * 86400 }),
        signed({ alg: 'HS256' }, { ...claims, iat: 'yesterday' }),
        signed({ alg: 'HS256' }, { ...claims, exp: now - 3600 }),
        signed({ alg: 'HS256' }, { ...claims, sub: 'admin' }),
        signed({ alg: 'HS256', kid: '../../etc/passwd' }, { ...claims, app_metadata: { role: 'admin' } }).replace(/.$/, 'A'),
      ],
    },
  };
}

/** A video and a person for each of the two users, so ids in requests hit real rows (owned and not). */
export async function seedFixtures(baseUrl: string, tokens: FuzzTokens): Promise<KnownIds> {
  const make = async (token: string) => {
    const headers = {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    };
    const video = await post(`${baseUrl}/v1/videos`, headers, {
      filename: 'fuzz.mp4',
      contentType: 'video/mp4',
      sizeBytes: 1000,
      title: 'fuzz',
    });
    const person = await post(`${baseUrl}/v1/people`, headers, {
      name: 'Fuzz Person',
    });
    return [(video as { video: { id: string } }).video.id, (person as { id: string }).id];
  };
  return { own: await make(tokens.user), others: await make(tokens.other) };
}

async function post(url: string, headers: Record<string, string>, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`seeding ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}
