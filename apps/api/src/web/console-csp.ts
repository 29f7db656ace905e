import type { AppConfig } from '@heimdex/config';

/**
 * The console's Content-Security-Policy: its own scripts and styles only (no inline code, no
 * CDN), pictures and video from the API itself (embedded storage lives under /storage) or the
 * S3 public endpoint, uploads to that endpoint, and sign-in calls to the Supabase project.
 */
export function consoleCsp(config: AppConfig): string {
  const storage = config.storage.driver === 's3' ? ` ${new URL(config.storage.publicEndpoint).origin}` : '';
  const supabase = config.auth.supabaseUrl ? ` ${new URL(config.auth.supabaseUrl).origin}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob:${storage}`,
    `media-src 'self' blob:${storage}`,
    `connect-src 'self'${storage}${supabase}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
