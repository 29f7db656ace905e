import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

/**
 * The one schema for every environment variable Heimdex reads. Names in API.md are fixed;
 * the rest are Heimdex's own. Empty strings count as unset.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: httpUrl.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).optional(),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_MAX: int(1, 100).default(8),
  EMBEDDED_DB_PORT: int(0, 65535).default(0),

  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/)
    .default('heimdex'),

  S3_ENDPOINT: httpUrl.optional(),
  S3_PUBLIC_ENDPOINT: httpUrl.optional(),
  S3_ACCESS_KEY: z.string().min(1).optional(),
  S3_SECRET_KEY: z.string().min(1).optional(),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name')
    .default('heimdex'),
  S3_REGION: z.string().min(1).default('us-east-1'),

  SUPABASE_URL: httpUrl.optional(),
  SUPABASE_ANON_KEY: z.string().min(1).optional(),
  SUPABASE_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SUPABASE_JWKS_URL: httpUrl.optional(),
  SUPABASE_JWT_ISSUER: z.string().min(1).optional(),
  SUPABASE_JWT_AUDIENCE: z.string().min(1).default('authenticated'),
  SUPABASE_WEBHOOK_SECRET: z.string().min(1).optional(),
  AUTH_ALLOW_ANONYMOUS: bool.default('false'),
  AUTH_CLOCK_SKEW_S: int(0, 300).default(30),
  AUTH_JWKS_COOLDOWN_MS: int(0, 600_000).default(30_000),
  METRICS_TOKEN: z.string().min(16).optional(),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d+|[\w.:/,\s-]+)$/, 'must be true, false, a hop count, or comma-separated addresses/subnets (loopback, 10.0.0.0/8, ...)')
    .default('false'),
  RATE_LIMIT_WINDOW_S: int(1, 86_400).default(60),
  RATE_LIMIT_PER_IP: int(0, 100_000_000).default(6000),
  RATE_LIMIT_PER_USER: int(0, 100_000_000).default(3000),
  RATE_LIMIT_STORAGE_PER_IP: int(0, 100_000_000).default(600),

  HTTP_JSON_MAX_BYTES: int(1024, 100 * 1024 ** 2).default(64 * 1024),
  HTTP_JSON_MAX_DEPTH: int(2, 1000).default(32),
  HTTP_HEADERS_TIMEOUT_MS: int(1000, 600_000).default(15_000),
  HTTP_REQUEST_TIMEOUT_MS: int(0, 24 * 3600 * 1000).default(3_600_000),
  HTTP_BODY_MIN_BYTES_PER_S: int(0, 100 * 1024 ** 2).default(1024),
  HTTP_BODY_RATE_WINDOW_S: int(1, 3600).default(10),
  UPLOADS_PER_USER_MAX: int(1, 1000).default(4),

  AUDIT_HTTP_ENABLED: bool.default('true'),
  AUDIT_SEAL_INTERVAL_MS: int(50, 600_000).default(1000),
  AUDIT_RETENTION_DAYS: int(0, 36_500).default(365),
  AUDIT_RETENTION_INTERVAL_S: int(10, 7 * 86_400).default(3600),
  AUDIT_CHECKPOINT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),

  MODEL_DIR: z.string().min(1).optional(),
  FFMPEG_PATH: z.string().min(1).optional(),
  FFPROBE_PATH: z.string().min(1).optional(),

  UPLOAD_URL_TTL_S: int(60, 7 * 24 * 3600).default(3600),
  PLAYBACK_URL_TTL_S: int(60, 7 * 24 * 3600).default(3600),
  MAX_VIDEO_DURATION_S: int(1, 7 * 24 * 3600).default(4 * 3600),
  MAX_VIDEO_WIDTH: int(16, 16384).default(7680),
  MAX_VIDEO_HEIGHT: int(16, 16384).default(4320),
  // width x height x frames of one full decode: 4 h of 1080p at 30 fps is 0.9e12.
  MAX_DECODE_PIXELS: int(1e6, Number.MAX_SAFE_INTEGER).default(1e12),
  MEDIA_MEMORY_LIMIT_MB: int(0, 1024 * 1024).default(4096),
  MEDIA_TIMEOUT_BASE_S: int(5, 24 * 3600).default(300),
  MEDIA_TIMEOUT_PER_MEDIA_S: z.coerce.number().min(0).max(100).default(3),
  QUOTA_FREE_MAX_BYTES: int(1, Number.MAX_SAFE_INTEGER).default(2 * 1024 ** 3),
  QUOTA_FREE_MAX_VIDEOS: int(0, 1_000_000_000).default(50),
  QUOTA_PRO_MAX_BYTES: int(1, Number.MAX_SAFE_INTEGER).default(20 * 1024 ** 3),
  QUOTA_PRO_MAX_VIDEOS: int(0, 1_000_000_000).default(5000),
  QUOTA_ENTERPRISE_MAX_BYTES: int(1, Number.MAX_SAFE_INTEGER).default(200 * 1024 ** 3),
  QUOTA_ENTERPRISE_MAX_VIDEOS: int(0, 1_000_000_000).default(1_000_000),

  ASR_ENGINE: z.enum(['auto', 'whisper', 'pocketsphinx', 'none']).default('auto'),
  ASR_LANGUAGE: z
    .string()
    .regex(/^[a-z]{2}$/, 'must be an ISO 639-1 code such as en')
    .optional(),
  POCKETSPHINX_PATH: z.string().min(1).optional(),
  POCKETSPHINX_PROCESSES: int(1, 16).default(2),
  ASR_VAD: bool.default('true'),
  // 0: pocketsphinx scores right words of short phrases near 0 ("coffee" 0.00), so a floor loses real
  // speech (search-eval transcript recall@5 0.5 at 0.1, 1.0 at 0). Behind the VAD gate the floor's
  // only catch on music was one word: "then" (0.05) on 1 of 12 held-out clips (npm run eval:real).
  ASR_MIN_WORD_CONFIDENCE: z.coerce.number().min(0).max(1).default(0),
  TEXT_EMBEDDING_MODEL: z.string().min(1).optional(),
  CLIP_MODEL: z.string().min(1).optional(),
  WHISPER_MODEL: z.string().min(1).optional(),
  OCR_ENABLED: bool.default('true'),
  OCR_ENGINE: z.enum(['ppocr', 'tesseract']).default('ppocr'),
  OCR_TESSERACT_LANGS: z
    .string()
    .regex(/^[A-Za-z_]+(\+[A-Za-z_]+)*$/, 'must be tesseract language codes joined with +, such as eng+deu')
    .default('eng'),
  FACES_ENABLED: bool.default('true'),
  OBJECTS_ENABLED: bool.default('true'),
  OBJECT_MIN_CONFIDENCE: z.coerce.number().gt(0).lt(1).default(0.25),
  MODERATION_ENABLED: bool.default('true'),
  LANGUAGE_ID_ENABLED: bool.default('true'),
  MODERATION_EXPLICIT_THRESHOLD: z.coerce.number().gt(0).max(1).default(0.7),
  MODERATION_QUESTIONABLE_THRESHOLD: z.coerce.number().gt(0).max(1).default(0.5),
  ORT_THREADS: int(1, 64).default(1),
  ML_ENGINE_THREADS: bool.default('true'),
  FACE_MATCH_THRESHOLD: z.coerce.number().min(0).max(1).default(0.945),
  FACE_MATCH_MARGIN: z.coerce.number().min(0).max(1).default(0.02),
  FACE_CLUSTER_EPS: z.coerce.number().gt(0).max(1).default(0.05),
  FACE_CLUSTER_MIN_SIZE: int(2, 1000).default(2),
  FACE_PHOTO_MAX_BYTES: int(1024, 100 * 1024 ** 2).default(10 * 1024 ** 2),
  FACE_PHOTO_MAX_PIXELS: int(64 * 64, 8192 * 8192).default(40_000_000),

  SCENE_CUT_THRESHOLD: z.coerce.number().gt(0).lt(1).default(0.06),
  SCENE_DECODE_FPS: z.coerce.number().min(1).max(30).default(6),
  FRAME_SAMPLE_FPS: z.coerce.number().min(0.2).max(10).default(1),
  FRAME_DUPLICATE_BELOW: z.coerce.number().min(0).max(1).default(0.04),
  SCENE_MIN_S: z.coerce.number().min(0.2).max(60).default(1),
  SCENE_MAX_S: z.coerce.number().min(2).max(3600).default(30),
  FRAMES_PER_SCENE_MAX: int(1, 32).default(4),

  WORKER_CONCURRENCY: int(1, 64).default(2),
  WORKER_CONCURRENCY_ASR: int(1, 16).default(1),
  /** Unset: one more than the cores, at most 4 (see visionConcurrencyFor). */
  WORKER_CONCURRENCY_VISION: int(1, 16).optional(),
  WORKER_LOCK_MS: int(1000, 600_000).default(30_000),
  OUTBOX_POLL_MS: int(50, 60_000).default(1000),
  REDIS_COMMAND_TIMEOUT_MS: int(50, 60_000).default(1000),
  PIPELINE_RECONCILE_MS: int(0, 3_600_000).default(60_000),
  PIPELINE_STALL_S: int(10, 7 * 24 * 3600).default(1800),
  MODEL_RERUN_BATCH: int(0, 1000).default(2),
  MODEL_RERUN_INTERVAL_S: int(0, 7 * 24 * 3600).default(900),
  SHUTDOWN_TIMEOUT_MS: int(1000, 600_000).default(25_000),
  WORKER_METRICS_PORT: int(0, 65535).optional(),

  SEARCH_CANDIDATES: int(10, 1000).default(100),
  SEARCH_TEXT_MIN_SIMILARITY: z.coerce.number().min(-1).max(1).default(0.3),
  SEARCH_VISUAL_MIN_SIMILARITY: z.coerce.number().min(-1).max(1).default(0.22),
  SEARCH_IMAGE_MIN_SIMILARITY: z.coerce.number().min(-1).max(1).default(0.7),
  SEARCH_LEXICAL_MAX_MATCHES: int(100, 10_000_000).default(2000),
  SEARCH_FUZZY_BELOW: int(0, 1000).default(5),
  SEARCH_FUZZY_MIN_SIMILARITY: z.coerce.number().gt(0).max(1).default(0.5),
  SEARCH_HNSW_EF_SEARCH: int(10, 1000).default(400),
  SEARCH_RRF_K: int(1, 1000).default(60),
  SEARCH_QUERY_CACHE_SIZE: int(0, 100_000).default(1000),
  SEARCH_IMAGE_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(10 * 1024 * 1024),
});

/**
 * Rules across variables. Checked on the raw strings, separately from the schema, so they are
 * reported together with any per-variable problems rather than after them are fixed.
 */
export function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const s3 = ['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const;
  const s3Set = s3.filter((k) => env[k]);
  if (s3Set.length > 0 && s3Set.length < s3.length) {
    for (const key of s3) if (!env[key]) problems.push(`${key}: is required when any of ${s3.join(', ')} is set`);
  }
  if (env.S3_PUBLIC_ENDPOINT && !env.S3_ENDPOINT) {
    problems.push('S3_PUBLIC_ENDPOINT: needs S3_ENDPOINT (without it Heimdex uses embedded storage)');
  }
  const hasVerifier = Boolean(env.SUPABASE_JWT_SECRET || env.SUPABASE_JWKS_URL || env.SUPABASE_URL);
  if (env.NODE_ENV === 'production' && !hasVerifier) {
    problems.push('SUPABASE_JWT_SECRET: production needs SUPABASE_JWT_SECRET or SUPABASE_URL/SUPABASE_JWKS_URL to verify tokens');
  }
  if (env.SCENE_MIN_S && env.SCENE_MAX_S && Number(env.SCENE_MAX_S) < 2 * Number(env.SCENE_MIN_S)) {
    problems.push('SCENE_MAX_S: must be at least twice SCENE_MIN_S, so a long shot can be split into scenes of at least SCENE_MIN_S');
  }
  return problems;
}

export type RawEnv = z.infer<typeof envSchema>;
