import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevSecrets {
  jwtSecret: string;
  storageSigningKey: string;
}

/**
 * Secrets for the embedded, no-configuration mode: generated once per DATA_DIR and shared by
 * the api, the worker and `npm run token`. Created with O_EXCL so two processes starting
 * together agree on one file.
 */
export function readDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  mkdirSync(dataDir, { recursive: true });
  const fresh: DevSecrets = { jwtSecret: randomBytes(32).toString('base64url'), storageSigningKey: randomBytes(32).toString('base64url') };
  try {
    writeFileSync(file, JSON.stringify(fresh, null, 2), { flag: 'wx', mode: 0o600 });
    return fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // A concurrent writer may be between open and write: retry briefly on an empty file.
  for (let i = 0; ; i++) {
    const text = readFileSync(file, 'utf8');
    if (text.trim()) return JSON.parse(text) as DevSecrets;
    if (i > 50) throw new Error(`${file} is empty`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

/**
 * The audit checkpoint key when AUDIT_CHECKPOINT_KEY is unset: derived from the dev secrets file
 * (so files written before this key existed keep working), kept on the apps' disk and never in
 * the database. Both apps read the same DATA_DIR, so the worker signs what the api verifies.
 */
export function devAuditCheckpointKey(secrets: DevSecrets): string {
  return createHmac('sha256', secrets.storageSigningKey).update('heimdex.audit-checkpoint-key.v1').digest('base64url');
}
