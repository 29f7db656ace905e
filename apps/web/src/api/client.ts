import createClient, { type Middleware } from 'openapi-fetch';
import { session } from '../auth/session';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** Every request gets the current token, read at send time (never cached here). */
const bearer: Middleware = {
  async onRequest({ request }) {
    const token = await session.accessToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(bearer);

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The data of an openapi-fetch result, or an ApiError carrying the API's own message. */
export function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  if (result.response.ok) return undefined as T;
  const body = result.error as { message?: string | string[] } | undefined;
  const message = Array.isArray(body?.message) ? body.message.join('; ') : (body?.message ?? `${result.response.status} ${result.response.statusText}`);
  throw new ApiError(result.response.status, message);
}

/** Raw authorised fetch for what is not JSON (WebVTT, exports, multipart uploads). */
export async function authorisedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const token = await session.accessToken();
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const res = await fetch(path, { ...init, headers });
  if (!res.ok) {
    const body = (await res
      .clone()
      .json()
      .catch(() => ({}))) as { message?: string };
    throw new ApiError(res.status, body.message ?? `${res.status} ${res.statusText}`);
  }
  return res;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
