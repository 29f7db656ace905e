import type { SupabaseClient } from '@supabase/supabase-js';

export interface AuthConfig {
  supabaseUrl: string | null;
  supabaseAnonKey: string | null;
  devSignIn: boolean;
}

/** Where a pasted dev token lives: localStorage, so a reload keeps the session (the seed's 403 bug). */
export const DEV_TOKEN_KEY = 'heimdex.devToken';
const SUPABASE_STORAGE_KEY = 'heimdex.supabase';

type Listener = () => void;

/**
 * The one place that knows the caller's token. Every API call asks `accessToken()` right before it
 * is sent (api/client.ts), so a token is never held only in memory: with Supabase the library
 * persists the session and refreshes it; in embedded development the pasted token is kept in
 * localStorage. Sign-out clears both.
 */
class Session {
  config: AuthConfig = { supabaseUrl: null, supabaseAnonKey: null, devSignIn: false };
  private supabase: SupabaseClient | null = null;
  private readonly listeners = new Set<Listener>();

  async init(): Promise<AuthConfig> {
    const res = await fetch('/v1/auth/config', { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`the API did not answer /v1/auth/config (${res.status})`);
    this.config = (await res.json()) as AuthConfig;
    if (this.config.supabaseUrl && this.config.supabaseAnonKey) {
      const { createClient } = await import('@supabase/supabase-js');
      this.supabase = createClient(this.config.supabaseUrl, this.config.supabaseAnonKey, {
        auth: { persistSession: true, autoRefreshToken: true, storageKey: SUPABASE_STORAGE_KEY },
      });
      this.supabase.auth.onAuthStateChange(() => this.notify());
    }
    return this.config;
  }

  get usesSupabase(): boolean {
    return this.supabase !== null;
  }

  async accessToken(): Promise<string | null> {
    if (this.supabase) {
      const { data } = await this.supabase.auth.getSession();
      return data.session?.access_token ?? null;
    }
    return localStorage.getItem(DEV_TOKEN_KEY);
  }

  async signInWithPassword(email: string, password: string): Promise<void> {
    if (!this.supabase) throw new Error('no Supabase project is configured');
    const { error } = await this.supabase.auth.signInWithPassword({ email, password });
    if (error) throw new Error(error.message);
    this.notify();
  }

  /** Embedded development: the token `npm start` printed, checked against the API before it is kept. */
  async signInWithToken(raw: string): Promise<void> {
    const token = raw.trim().replace(/^Bearer\s+/i, '');
    const res = await fetch('/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      throw new Error(body.message ?? `the API refused this token (${res.status})`);
    }
    localStorage.setItem(DEV_TOKEN_KEY, token);
    this.notify();
  }

  async signOut(): Promise<void> {
    localStorage.removeItem(DEV_TOKEN_KEY);
    if (this.supabase) await this.supabase.auth.signOut();
    this.notify();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}

export const session = new Session();
