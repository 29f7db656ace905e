import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';

const UUID = '3c068e94-bf89-45f1-bbd0-662ffd90ee56';
const SIGNED_URL = 'https://s3.example.com/heimdex/videos/…?X-Amz-Signature=…';

/** Examples by property name, used where the property's type matches and its DTO gives none. */
const BY_NAME: Record<string, string | number | boolean> = {
  filename: 'clip.mp4',
  contentType: 'video/mp4',
  title: 'Harbour walk',
  description: 'Filmed on a grey morning',
  sizeBytes: 10_485_760,
  durationS: 62.5,
  width: 1280,
  height: 720,
  language: 'en',
  startS: 12.5,
  endS: 18.25,
  matchStartS: 13.1,
  progress: 0.5,
  score: 0.0328,
  confidence: 0.97,
  transcript: 'welcome to the quarterly sales review',
  ocrText: 'QUARTERLY SALES REVIEW',
  highlight: 'welcome to the <mark>quarterly</mark> sales review',
  name: 'Ada Lovelace',
  displayName: 'Ada',
  email: 'ada@example.com',
  emailVerified: true,
  url: SIGNED_URL,
  thumbnailUrl: SIGNED_URL,
  photoUrl: SIGNED_URL,
  nextCursor: 'WyIyMDI2LTEyLTAyVDE0OjAwOjAwLjAwMFoiLCIzYzA2OCJd',
  embeddingModel: 'face-api-face-recognition@1.7.15',
  attempts: 1,
  index: 0,
  ip: '203.0.113.7',
  userAgent: 'curl/8.5.0',
  requestId: UUID,
  chainSeq: '42',
  hash: 'a3f1c9e0'.repeat(8),
  prevHash: '5b2d7e4f'.repeat(8),
  note: '4 scene(s) from one decode',
  reason: 'no speech engine installed',
  version: '1.7.15',
  error: 'upload_validate: ffprobe cannot read the file as a video',
  onboardingCompleted: false,
  faces: 2,
  keptPhotos: 1,
  enrolledFaces: 3,
  scenes: 12,
  x: 0.31,
  y: 0.18,
  size: 7,
  videos: 2,
  named: 5,
  enrolled: 3,
  resourceId: UUID,
  ok: true,
  checked: 1250,
  supabaseUrl: 'https://abcd.supabase.co',
  supabaseAnonKey: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…',
  devSignIn: false,
  ticket: 'q1Vb3n9Tzr8yX0cA5dLw2g',
  label: 'dog',
  count: 2,
  firstS: 3.5,
  ocr: 0.41,
  visual: 0.27,
  person: 0.93,
  tag: 0.5,
  object: 0.86,
  text: 0.62,
  state: 'queued',
  retriedJobId: `upload_validate.${UUID}.1`,
  queueState: 'failed',
  run: 2,
  firstBadId: '1187',
  fromSeq: '0',
  unsealed: 0,
  waiting: 3,
  active: 1,
  completed: 120,
  failed: 0,
  delayed: 0,
  prioritized: 0,
  waitingChildren: 0,
  paused: false,
  jobId: `user_purge:${UUID}`,
  webhookId: 'msg_2LhVZ3RL4PYkRb7KBDaxfcEszrX',
};

/**
 * Gives every schema property an example when its DTO does not: uuids and timestamps by format,
 * enums by their first value, the rest by name (BY_NAME) where the type fits. The DTOs' own
 * examples win.
 */
export function addPropertyExamples(doc: OpenAPIObject): OpenAPIObject {
  for (const schema of Object.values(doc.components?.schemas ?? {})) {
    if ('$ref' in schema) continue;
    for (const property of Object.entries(schema.properties ?? {})) fill(...property);
  }
  return doc;
}

function fill(name: string, property: SchemaObject | ReferenceObject): void {
  if ('$ref' in property || property.example !== undefined) return;
  const example = exampleFor(name, property);
  if (example !== undefined) property.example = example;
}

function exampleFor(name: string, p: SchemaObject): unknown {
  if (p.format === 'uuid') return UUID;
  if (p.format === 'date-time') return '2026-12-02T14:00:00.000Z';
  if (p.enum?.length) return p.enum[0];
  const byName = BY_NAME[name];
  const type = p.type === 'integer' ? 'number' : p.type;
  return byName !== undefined && typeof byName === type ? byName : undefined;
}
