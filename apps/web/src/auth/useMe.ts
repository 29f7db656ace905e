import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage, ok, type Schemas } from '../api/client';
import { session, type AuthConfig } from './session';

export type Me = Schemas['MeDto'];

export type AuthState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'signed-out'; config: AuthConfig; reason?: string }
  | { status: 'signed-in'; config: AuthConfig; me: Me };

/** Who is signed in: the session's token checked against /v1/auth/me, again on every session change. */
export function useMe(): AuthState {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const refresh = useCallback(async () => {
    const config = session.config;
    const token = await session.accessToken();
    if (!token) return setState({ status: 'signed-out', config });
    const res = await api.GET('/v1/auth/me');
    if (res.response.status === 401) {
      await session.signOut();
      return setState({ status: 'signed-out', config, reason: 'Your session has expired. Sign in again.' });
    }
    setState({ status: 'signed-in', config, me: ok(res) });
  }, []);
  useEffect(() => {
    let unsubscribe = () => {};
    session
      .init()
      .then(() => {
        unsubscribe = session.subscribe(() => void refresh().catch((err: unknown) => setState({ status: 'error', message: errorMessage(err) })));
        return refresh();
      })
      .catch((err: unknown) => setState({ status: 'error', message: errorMessage(err) }));
    return () => unsubscribe();
  }, [refresh]);
  return state;
}
