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
    /** The Supabase project the web console signs in against (null: embedded development). */
    supabaseUrl: string | null;
    /** The project's public anon key, handed to the console for supabase-js. */
    supabaseAnonKey: string | null;
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
    /** Budget for one full decode, in pixels (width x height x frames). */
    maxDecodePixels: number;
    /** Bounds of every ffmpeg/ffprobe child (memory in MB, 0 = none; wall clock base + per media second). */
    limits: { memoryMb: number; timeoutBaseS: number; timeoutPerMediaS: number };
  };
  modelDir: string;
  ml: {
    asrEngine: 'auto' | 'whisper' | 'pocketsphinx' | 'none';
    /** Configured transcript language; null: detect (Whisper) or the engine's default. */
    asrLanguage: string | null;
    pocketsphinxPath: string | null;
    /** Decoder processes per file: a long recording is cut at pauses and decoded in parallel. */
    pocketsphinxProcesses: number;
    /** Silero VAD picks the speech before recognition; off: the whole recording is decoded (words get invented on music). */
    asrVad: boolean;
    /** Recognised words scored below this are dropped (pocketsphinx posteriors; engines without scores keep all). */
    asrMinWordConfidence: number;
    /** Manifest names to use when MODEL_DIR holds several of a kind; null: the first. */
    textModel: string | null;
    clipModel: string | null;
    whisperModel: string | null;
    ocrEnabled: boolean;
    /** ppocr: PP-OCRv4 (ships in npm; Latin and Chinese). tesseract: the `tesseract` CLI (Debian's tesseract-ocr) with ocrTesseractLangs, for other scripts. */
    ocrEngine: 'ppocr' | 'tesseract';
    /** Tesseract language packs, joined with + (eng+deu). */
    ocrTesseractLangs: string;
    facesEnabled: boolean;
    /** COCO object detection (CenterNet, ships in npm) on the analysis frames. */
    objectsEnabled: boolean;
    /** Detector confidence an object must reach to be kept (calibrated by `npm run eval:objects`). */
    objectMinConfidence: number;
    /** Content moderation (nsfwjs MobileNetV2, ships in npm) on the analysis frames. */
    moderationEnabled: boolean;
    /** Language identification (fastText lid.176, ships in npm) of transcripts and on-screen text. */
    languageIdEnabled: boolean;
    /** porn + hentai ≥ explicit → explicit; porn + hentai + sexy ≥ questionable → questionable; else safe. */
    moderation: { explicit: number; questionable: number };
    ortThreads: number;
    /** OCR, faces, objects and moderation each load and run in a worker thread of their own (the worker's event loop stays free; they run at once). */
    engineThreads: boolean;
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
  rateLimit: { windowS: number; perIp: number; perUser: number; storagePerIp: number };
  /** Limits on what one HTTP request may cost before it reaches a controller. */
  http: {
    jsonMaxBytes: number;
    jsonMaxDepth: number;
    headersTimeoutMs: number;
    /** Whole request (headers and body); 0 = none. Long enough for the largest upload. */
    requestTimeoutMs: number;
    /** A request body slower than this over a window is cut off (slow-body attacks); 0 = off. */
    bodyMinBytesPerS: number;
    bodyRateWindowS: number;
    /** Uploads to embedded storage in flight at once per user; one per object key. */
    uploadsPerUserMax: number;
  };
  audit: {
    /** Off only for benchmarks: requests are then not written to the audit trail. */
    httpEnabled: boolean;
    sealIntervalMs: number;
    /** Events older than this are archived to storage and removed; 0 keeps them forever. */
    retentionDays: number;
    retentionIntervalS: number;
    /** Signs retention checkpoints (HMAC): AUDIT_CHECKPOINT_KEY, else derived from the dev secrets in DATA_DIR. Never stored in the database. */
    checkpointKey: string;
  };
  scenes: {
    /** Heimdex's own content score (0..1) a hard cut reaches; not ffmpeg's scene score. */
    cutThreshold: number;
    minS: number;
    maxS: number;
    /** Frames per scene for whole-scene summaries (CLIP vector); every analysis frame goes to OCR and faces. */
    framesPerSceneMax: number;
    /** Frames decoded and scored per second for shot changes. */
    decodeFps: number;
    /** Steady rate of analysis frames (near-duplicates skipped, cuts added). */
    sampleFps: number;
    /** Regional change below which an analysis frame repeats the last one. */
    duplicateBelow: number;
  };
  uploads: { urlTtlS: number; playbackTtlS: number; quotas: Record<UserTier, TierQuota> };
  worker: {
    /** Jobs at once on the light pipeline and maintenance queues. */
    concurrency: number;
    asrConcurrency: number;
    /** Vision stages at once; their models run in engine threads, so this many can use as many cores. */
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
    /** Indexed videos re-run for a changed built-in model only while fewer than this many videos are in the pipeline (0: never). */
    modelRerunBatch: number;
    /** How often the worker looks for outputs of a built-in model other than the loaded one (0: only at start). */
    modelRerunIntervalS: number;
    shutdownTimeoutMs: number;
    /** Port of the worker's Prometheus endpoint (GET /metrics on HOST); null: not served. 0 picks a free port. */
    metricsPort: number | null;
  };
}
