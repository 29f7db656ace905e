import { type FormEvent, useState } from 'react';
import { errorMessage } from '../api/client';
import { Notice } from '../components/Notice';
import { session, type AuthConfig } from './session';

export function SignIn({ config, reason }: { config: AuthConfig; reason?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (action: () => Promise<void>) => async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');

  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <div className="brand brand-large">
          <span className="logo" aria-hidden="true" />
          Heimdex
        </div>
        <p className="muted">Find the moment in your videos.</p>
        {reason && <Notice>{reason}</Notice>}
        {error && <Notice kind="error">{error}</Notice>}
        {session.usesSupabase ? (
          <form onSubmit={submit(() => session.signInWithPassword(email, password))} className="stack">
            <h1>Sign in</h1>
            <label>
              Email
              <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </label>
            <label>
              Password
              <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
            <button className="primary" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
        ) : config.devSignIn ? (
          <form onSubmit={submit(() => session.signInWithToken(token))} className="stack">
            <h1>Development sign-in</h1>
            <p className="muted">
              No Supabase project is configured. Paste the <strong>dev admin token</strong> that <code>npm start</code> printed (or one from{' '}
              <code>npm run token</code>).
            </p>
            <label>
              Token
              <textarea required rows={4} spellCheck={false} autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
            </label>
            <button className="primary" disabled={busy}>
              {busy ? 'Checking…' : 'Sign in with this token'}
            </button>
          </form>
        ) : (
          <Notice kind="error">
            Sign-in is not configured: set <code>SUPABASE_URL</code> and <code>SUPABASE_ANON_KEY</code> for the API.
          </Notice>
        )}
      </div>
    </main>
  );
}
