import { UserTier } from '@heimdex/db';

export type Role = 'admin' | 'user';

/** The caller, derived from verified token claims alone. */
export interface AuthUser {
  id: string;
  email: string | null;
  emailVerified: boolean;
  role: Role;
  tier: UserTier;
  displayName: string | null;
  onboardingCompleted: boolean;
  isAnonymous: boolean;
}

export interface SupabaseClaims {
  sub?: unknown;
  email?: unknown;
  exp?: unknown;
  iat?: unknown;
  is_anonymous?: unknown;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
}

const TIERS = new Set<string>(Object.values(UserTier));

/**
 * Authorisation (role, tier) comes only from app_metadata, which only the server side of
 * Supabase can write; user_metadata is user-editable and feeds display fields only.
 */
export function authUserFromClaims(claims: SupabaseClaims): AuthUser {
  const app = claims.app_metadata ?? {};
  const meta = claims.user_metadata ?? {};
  const roles = Array.isArray(app.roles) ? app.roles : [];
  const isAdmin = app.role === 'admin' || roles.includes('admin');
  const tier = typeof app.tier === 'string' && TIERS.has(app.tier) ? (app.tier as UserTier) : UserTier.Free;
  const displayName = [meta.display_name, meta.full_name, meta.name].find((v): v is string => typeof v === 'string' && v.length > 0) ?? null;
  return {
    id: String(claims.sub),
    email: typeof claims.email === 'string' && claims.email ? claims.email : null,
    emailVerified: meta.email_verified === true,
    role: isAdmin ? 'admin' : 'user',
    tier,
    displayName,
    onboardingCompleted: meta.onboarding_completed === true,
    isAnonymous: claims.is_anonymous === true,
  };
}
