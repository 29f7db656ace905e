import { UserTier } from '@heimdex/db';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { AppConfig } from './app-config';
import { crossFieldProblems, envSchema, RawEnv } from './config.schema';
import { devAuditCheckpointKey, readDevSecrets } from './dev-secrets';
import { readEnvFile } from './env-file';
import { findProjectRoot } from './project-root';
import { visionConcurrencyFor } from './vision-concurrency';

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  rootDir?: string;
}

/**
 * Reads and validates the configuration. Throws ConfigError naming every bad or missing
 * variable at once, so a misconfigured deployment fails at start, not at the first request.
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const processEnv = options.env ?? process.env;
  const rootDir = options.rootDir ?? findProjectRoot();
  const file = readEnvFile(rootDir, processEnv);
  const merged: Record<string, string | undefined> = { ...file.values };
  for (const [key, value] of Object.entries(processEnv)) if (value !== undefined) merged[key] = value;
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];

  const parsed = envSchema.safeParse(merged);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`)), ...crossFieldProblems(merged)];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  return resolveConfig(parsed.data, rootDir, file.path);
}

function resolveConfig(raw: RawEnv, rootDir: string, envFile: string | null): AppConfig {
  const dataDir = absolute(rootDir, raw.DATA_DIR ?? '.data');
  const supabaseAuth = raw.SUPABASE_URL ? `${raw.SUPABASE_URL.replace(/\/+$/, '')}/auth/v1` : null;
  const jwksUrl = raw.SUPABASE_JWKS_URL ?? (supabaseAuth ? `${supabaseAuth}/.well-known/jwks.json` : null);
  const needsDevSecret = !raw.SUPABASE_JWT_SECRET && !jwksUrl;
  const needsLocalStorage = !raw.S3_ENDPOINT;
  const dev = needsDevSecret || needsLocalStorage || !raw.AUDIT_CHECKPOINT_KEY ? readDevSecrets(dataDir) : null;

  return {
    env: raw.NODE_ENV,
    rootDir,
    envFile,
    port: raw.PORT,
    host: raw.HOST,
    publicUrl: (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, ''),
    logLevel: raw.LOG_LEVEL,
    dataDir,
    database: { url: raw.DATABASE_URL ?? null, poolMax: raw.DATABASE_POOL_MAX, embeddedPort: raw.EMBEDDED_DB_PORT },
    redis: { url: raw.REDIS_URL, prefix: raw.QUEUE_PREFIX },
    storage:
      raw.S3_ENDPOINT && raw.S3_ACCESS_KEY && raw.S3_SECRET_KEY
        ? {
            driver: 's3',
            bucket: raw.S3_BUCKET,
            region: raw.S3_REGION,
            endpoint: raw.S3_ENDPOINT,
            publicEndpoint: raw.S3_PUBLIC_ENDPOINT ?? raw.S3_ENDPOINT,
            accessKey: raw.S3_ACCESS_KEY,
            secretKey: raw.S3_SECRET_KEY,
          }
        : { driver: 'local', bucket: raw.S3_BUCKET, root: join(dataDir, 'objects'), signingKey: dev!.storageSigningKey },
    auth: {
      supabaseUrl: raw.SUPABASE_URL ? raw.SUPABASE_URL.replace(/\/+$/, '') : null,
      supabaseAnonKey: raw.SUPABASE_ANON_KEY ?? null,
      jwtSecret: raw.SUPABASE_JWT_SECRET ?? (needsDevSecret ? dev!.jwtSecret : null),
      devSecret: needsDevSecret,
      jwksUrl,
      issuer: raw.SUPABASE_JWT_ISSUER ?? supabaseAuth,
      audience: raw.SUPABASE_JWT_AUDIENCE,
      allowAnonymous: raw.AUTH_ALLOW_ANONYMOUS,
      clockSkewS: raw.AUTH_CLOCK_SKEW_S,
      jwksCooldownMs: raw.AUTH_JWKS_COOLDOWN_MS,
      webhookSecret: raw.SUPABASE_WEBHOOK_SECRET ?? null,
      metricsToken: raw.METRICS_TOKEN ?? null,
    },
    media: {
      ffmpegPath: raw.FFMPEG_PATH ?? null,
      ffprobePath: raw.FFPROBE_PATH ?? null,
      maxDurationS: raw.MAX_VIDEO_DURATION_S,
      maxWidth: raw.MAX_VIDEO_WIDTH,
      maxHeight: raw.MAX_VIDEO_HEIGHT,
      maxDecodePixels: raw.MAX_DECODE_PIXELS,
      limits: { memoryMb: raw.MEDIA_MEMORY_LIMIT_MB, timeoutBaseS: raw.MEDIA_TIMEOUT_BASE_S, timeoutPerMediaS: raw.MEDIA_TIMEOUT_PER_MEDIA_S },
    },
    modelDir: absolute(rootDir, raw.MODEL_DIR ?? join(dataDir, 'models')),
    ml: {
      asrEngine: raw.ASR_ENGINE,
      asrLanguage: raw.ASR_LANGUAGE ?? null,
      pocketsphinxPath: raw.POCKETSPHINX_PATH ?? null,
      pocketsphinxProcesses: raw.POCKETSPHINX_PROCESSES,
      asrVad: raw.ASR_VAD,
      asrMinWordConfidence: raw.ASR_MIN_WORD_CONFIDENCE,
      textModel: raw.TEXT_EMBEDDING_MODEL ?? null,
      clipModel: raw.CLIP_MODEL ?? null,
      whisperModel: raw.WHISPER_MODEL ?? null,
      ocrEnabled: raw.OCR_ENABLED,
      ocrEngine: raw.OCR_ENGINE,
      ocrTesseractLangs: raw.OCR_TESSERACT_LANGS,
      facesEnabled: raw.FACES_ENABLED,
      objectsEnabled: raw.OBJECTS_ENABLED,
      objectMinConfidence: raw.OBJECT_MIN_CONFIDENCE,
      moderationEnabled: raw.MODERATION_ENABLED,
      languageIdEnabled: raw.LANGUAGE_ID_ENABLED,
      moderation: { explicit: raw.MODERATION_EXPLICIT_THRESHOLD, questionable: raw.MODERATION_QUESTIONABLE_THRESHOLD },
      ortThreads: raw.ORT_THREADS,
      engineThreads: raw.ML_ENGINE_THREADS,
      faceMatchThreshold: raw.FACE_MATCH_THRESHOLD,
      faceMatchMargin: raw.FACE_MATCH_MARGIN,
      faceClusterEps: raw.FACE_CLUSTER_EPS,
      faceClusterMinSize: raw.FACE_CLUSTER_MIN_SIZE,
      facePhotoMaxBytes: raw.FACE_PHOTO_MAX_BYTES,
      facePhotoMaxPixels: raw.FACE_PHOTO_MAX_PIXELS,
    },
    search: {
      candidates: raw.SEARCH_CANDIDATES,
      textMinSimilarity: raw.SEARCH_TEXT_MIN_SIMILARITY,
      visualMinSimilarity: raw.SEARCH_VISUAL_MIN_SIMILARITY,
      imageMinSimilarity: raw.SEARCH_IMAGE_MIN_SIMILARITY,
      lexicalMaxMatches: raw.SEARCH_LEXICAL_MAX_MATCHES,
      fuzzyBelow: raw.SEARCH_FUZZY_BELOW,
      fuzzyMinSimilarity: raw.SEARCH_FUZZY_MIN_SIMILARITY,
      hnswEfSearch: raw.SEARCH_HNSW_EF_SEARCH,
      rrfK: raw.SEARCH_RRF_K,
      queryCacheSize: raw.SEARCH_QUERY_CACHE_SIZE,
      imageMaxBytes: raw.SEARCH_IMAGE_MAX_BYTES,
    },
    trustProxy: trustProxySetting(raw.TRUST_PROXY),
    rateLimit: {
      windowS: raw.RATE_LIMIT_WINDOW_S,
      perIp: raw.RATE_LIMIT_PER_IP,
      perUser: raw.RATE_LIMIT_PER_USER,
      storagePerIp: raw.RATE_LIMIT_STORAGE_PER_IP,
    },
    http: {
      jsonMaxBytes: raw.HTTP_JSON_MAX_BYTES,
      jsonMaxDepth: raw.HTTP_JSON_MAX_DEPTH,
      headersTimeoutMs: raw.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: raw.HTTP_REQUEST_TIMEOUT_MS,
      bodyMinBytesPerS: raw.HTTP_BODY_MIN_BYTES_PER_S,
      bodyRateWindowS: raw.HTTP_BODY_RATE_WINDOW_S,
      uploadsPerUserMax: raw.UPLOADS_PER_USER_MAX,
    },
    audit: {
      httpEnabled: raw.AUDIT_HTTP_ENABLED,
      sealIntervalMs: raw.AUDIT_SEAL_INTERVAL_MS,
      retentionDays: raw.AUDIT_RETENTION_DAYS,
      retentionIntervalS: raw.AUDIT_RETENTION_INTERVAL_S,
      checkpointKey: raw.AUDIT_CHECKPOINT_KEY ?? devAuditCheckpointKey(dev!),
    },
    scenes: {
      cutThreshold: raw.SCENE_CUT_THRESHOLD,
      minS: raw.SCENE_MIN_S,
      maxS: raw.SCENE_MAX_S,
      framesPerSceneMax: raw.FRAMES_PER_SCENE_MAX,
      decodeFps: raw.SCENE_DECODE_FPS,
      sampleFps: raw.FRAME_SAMPLE_FPS,
      duplicateBelow: raw.FRAME_DUPLICATE_BELOW,
    },
    uploads: {
      urlTtlS: raw.UPLOAD_URL_TTL_S,
      playbackTtlS: raw.PLAYBACK_URL_TTL_S,
      quotas: {
        [UserTier.Free]: { maxBytes: raw.QUOTA_FREE_MAX_BYTES, maxVideos: raw.QUOTA_FREE_MAX_VIDEOS },
        [UserTier.Pro]: { maxBytes: raw.QUOTA_PRO_MAX_BYTES, maxVideos: raw.QUOTA_PRO_MAX_VIDEOS },
        [UserTier.Enterprise]: { maxBytes: raw.QUOTA_ENTERPRISE_MAX_BYTES, maxVideos: raw.QUOTA_ENTERPRISE_MAX_VIDEOS },
      },
    },
    worker: {
      concurrency: raw.WORKER_CONCURRENCY,
      asrConcurrency: raw.WORKER_CONCURRENCY_ASR,
      visionConcurrency: raw.WORKER_CONCURRENCY_VISION ?? visionConcurrencyFor(availableParallelism()),
      lockMs: raw.WORKER_LOCK_MS,
      outboxPollMs: raw.OUTBOX_POLL_MS,
      redisCommandTimeoutMs: raw.REDIS_COMMAND_TIMEOUT_MS,
      reconcileMs: raw.PIPELINE_RECONCILE_MS,
      stallS: raw.PIPELINE_STALL_S,
      modelRerunBatch: raw.MODEL_RERUN_BATCH,
      modelRerunIntervalS: raw.MODEL_RERUN_INTERVAL_S,
      shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
      metricsPort: raw.WORKER_METRICS_PORT ?? null,
    },
  };
}

/** TRUST_PROXY as Express takes it: a boolean, a hop count, or the address list unchanged. */
function trustProxySetting(raw: string): boolean | number | string {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

function absolute(rootDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(rootDir, p);
}
