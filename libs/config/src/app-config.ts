import { UserTier } from '@heimdex/db';

export interface TierQuota {
  maxBytes: number;
  maxVideos: number;
}

/** Resolved, validated configuration shared by the api, the worker and the scripts. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  rootDir: string;
  /** Which .env file was read, if any: logged at start so there is never a doubt. */
  envFile: string | null;
  port: number;
  host: string;
  publicUrl: string;
  logLevel: string;
  dataDir: string;
  database: { url: string | null; poolMax: number; embeddedPort: number };
  redis: { url: string; prefix: string };
  storage:
    | { driver: 'local'; bucket: string; root: string; signingKey: string }
    | { driver: 's3'; bucket: string; region: string; endpoint: string; publicEndpoint: string; accessKey: string; secretKey: string };
  auth: {
    jwtSecret: string | null;
    /** True when jwtSecret is the generated local-development secret. */
    devSecret: boolean;
    jwksUrl: string | null;
    issuer: string | null;
    audience: string;
    allowAnonymous: boolean;
    clockSkewS: number;
    /** Least time between two JWKS refetches triggered by unknown kids. */
    jwksCooldownMs: number;
    webhookSecret: string | null;
    metricsToken: string | null;
  };
  media: {
    ffmpegPath: string | null;
    ffprobePath: string | null;
    maxDurationS: number;
    maxWidth: number;
    maxHeight: number;
  };
  modelDir: string;
  uploads: { urlTtlS: number; playbackTtlS: number; quotas: Record<UserTier, TierQuota> };
  worker: { concurrency: number; outboxPollMs: number; shutdownTimeoutMs: number };
}
