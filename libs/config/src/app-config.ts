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
  ml: {
    asrEngine: 'auto' | 'whisper' | 'pocketsphinx' | 'none';
    /** Configured transcript language; null: detect (Whisper) or the engine's default. */
    asrLanguage: string | null;
    pocketsphinxPath: string | null;
    /** Decoder processes per file: a long recording is cut at pauses and decoded in parallel. */
    pocketsphinxProcesses: number;
    /** Manifest names to use when MODEL_DIR holds several of a kind; null: the first. */
    textModel: string | null;
    clipModel: string | null;
    whisperModel: string | null;
    ocrEnabled: boolean;
    facesEnabled: boolean;
    ortThreads: number;
    /** Cosine similarity a face must reach to be assigned to a person. */
    faceMatchThreshold: number;
    /** The best person must beat the second best by this much. */
    faceMatchMargin: number;
    /** Unnamed faces: the largest cosine distance between two neighbours of a cluster. */
    faceClusterEps: number;
    /** Unnamed faces: the fewest look-alikes (the face itself included) that make a cluster. */
    faceClusterMinSize: number;
    /** Enrolment photos: largest upload and largest decoded size. */
    facePhotoMaxBytes: number;
    facePhotoMaxPixels: number;
  };
  search: {
    /** Scenes each signal contributes to the fused list: the deepest a search can page. */
    candidates: number;
    /** Cosine similarity a semantic hit needs: query text ↔ scene text, query text ↔ scene picture (CLIP), picture ↔ picture. */
    textMinSimilarity: number;
    visualMinSimilarity: number;
    imageMinSimilarity: number;
    /** Full-text matches ranked per search, at most: bounds the cost of very common words in huge libraries. */
    lexicalMaxMatches: number;
    /** Typo tolerance (pg_trgm) joins in when full-text search finds fewer scenes than this. */
    fuzzyBelow: number;
    fuzzyMinSimilarity: number;
    hnswEfSearch: number;
    rrfK: number;
    queryCacheSize: number;
    imageMaxBytes: number;
  };
  /** Express `trust proxy`: which proxies' X-Forwarded-For is believed for the client IP. */
  trustProxy: boolean | number | string;
  /** Requests per window; 0 turns that limit off. */
  rateLimit: { windowS: number; perIp: number; perUser: number };
  audit: {
    /** Off only for benchmarks: requests are then not written to the audit trail. */
    httpEnabled: boolean;
    sealIntervalMs: number;
    /** Events older than this are archived to storage and removed; 0 keeps them forever. */
    retentionDays: number;
    retentionIntervalS: number;
  };
  scenes: { cutThreshold: number; minS: number; maxS: number; framesPerSceneMax: number };
  uploads: { urlTtlS: number; playbackTtlS: number; quotas: Record<UserTier, TierQuota> };
  worker: {
    /** Jobs at once on the light pipeline and maintenance queues. */
    concurrency: number;
    asrConcurrency: number;
    visionConcurrency: number;
    /** A job's lock; a killed worker's job is taken over within about twice this. */
    lockMs: number;
    outboxPollMs: number;
    /** The api's own Redis commands (rate limits, webhook ids, dashboard sessions) give up after this. */
    redisCommandTimeoutMs: number;
    /** How often the worker re-enqueues stages the database says are due but no queue holds (0: only at start). */
    reconcileMs: number;
    /** A live video none of whose stages changed for this long may be reprocessed. */
    stallS: number;
    shutdownTimeoutMs: number;
  };
}
