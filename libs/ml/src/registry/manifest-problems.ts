import { posix } from 'node:path';
import type { ZodError } from 'zod';
import type { ModelManifest } from './model-manifest';

/** Zod's issues as one line: `spec.pooling: Invalid enum value ...; files: Required`. */
export function describeManifestErrors(error: ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`).join('; ');
}

/** The files a manifest's spec names; each must also be listed (with its sha256) in `files`. */
export function specFiles(manifest: ModelManifest): string[] {
  const spec = manifest.spec;
  switch (spec.task) {
    case 'text-embedding':
      return [spec.model, spec.tokenizer];
    case 'clip':
      return [spec.image.model, spec.text.model, spec.text.tokenizer];
    case 'asr-whisper':
      return [];
  }
}

/**
 * A manifest may only name files inside its own folder (relative, forward slashes, no `..`),
 * and everything the runners load must be covered by a sha256. Null when all is well.
 */
export function unsafeOrUnlistedPaths(manifest: ModelManifest): string | null {
  const listed = new Set(manifest.files.map((f) => posix.normalize(f.path)));
  for (const f of manifest.files) {
    if (!insideFolder(f.path)) return `files: ${JSON.stringify(f.path)} must be a relative path inside the model's folder`;
  }
  if (listed.size !== manifest.files.length) return 'files: a path is listed twice';
  for (const path of specFiles(manifest)) {
    if (!insideFolder(path)) return `spec: ${JSON.stringify(path)} must be a relative path inside the model's folder`;
    if (!listed.has(posix.normalize(path))) return `spec names ${path}, which is not in files (every file needs its sha256)`;
  }
  if (manifest.spec.task === 'asr-whisper') {
    const folder = manifest.spec.folder;
    if (folder !== '.' && !insideFolder(folder)) return `spec.folder: ${JSON.stringify(folder)} must be a relative path inside the model's folder`;
    const prefix = folder === '.' ? '' : `${posix.normalize(folder).replace(/\/$/, '')}/`;
    if (![...listed].some((p) => p.startsWith(prefix))) return `spec.folder ${folder} holds none of the listed files`;
  }
  return null;
}

function insideFolder(path: string): boolean {
  if (path.includes('\\') || posix.isAbsolute(path)) return false;
  const normal = posix.normalize(path);
  return normal !== '.' && normal !== '..' && !normal.startsWith('../');
}
