import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { ModelManifest } from './model-manifest';

export interface FileCheck {
  path: string;
  status: 'ok' | 'missing' | 'mismatch';
  expected: string;
  /** The file's sha256 when it could be read. */
  actual: string | null;
}

export interface ModelCheck {
  name: string;
  dir: string;
  ok: boolean;
  files: FileCheck[];
  /** One line naming what is wrong, null when ok. */
  problem: string | null;
}

/** Hashes every file the manifest lists; missing and mismatched files are reported, not thrown. */
export async function verifyModelFiles(manifest: ModelManifest, dir: string): Promise<ModelCheck> {
  const files: FileCheck[] = [];
  for (const f of manifest.files) {
    const actual = await sha256OfFile(join(dir, f.path));
    const status = actual === null ? 'missing' : actual === f.sha256 ? 'ok' : 'mismatch';
    files.push({ path: f.path, status, expected: f.sha256, actual });
  }
  const bad = files.filter((f) => f.status !== 'ok');
  const problem = bad.length
    ? bad.map((f) => (f.status === 'missing' ? `${f.path} is missing` : `${f.path} does not match its sha256 (corrupt or replaced)`)).join('; ')
    : null;
  return { name: manifest.name, dir, ok: bad.length === 0, files, problem };
}

/** Null when the file cannot be read. */
export async function sha256OfFile(path: string): Promise<string | null> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch {
    return null;
  }
  return hash.digest('hex');
}
