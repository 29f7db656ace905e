import type { Video } from '@heimdex/db';
import type { ObjectStat, ObjectStorage } from '@heimdex/storage';
import { PermanentStageError } from '../pipeline/pipeline-stage';

/** What upload_validate saw of the source object; kept in the video's mediaInfo. */
export interface SourceFingerprint {
  sizeBytes: number;
  etag: string | null;
}

export function fingerprintOf(stat: ObjectStat): SourceFingerprint {
  return { sizeBytes: stat.size, etag: stat.etag };
}

function sameObject(a: SourceFingerprint, b: SourceFingerprint): boolean {
  return a.sizeBytes === b.sizeBytes && a.etag === b.etag;
}

/**
 * Downloads the video's source for a stage after upload_validate, and only if it is still the
 * object that was validated (size and ETag, before and after the download): a source replaced
 * underneath the pipeline fails the stage instead of feeding it unvalidated bytes.
 */
export async function downloadValidatedSource(storage: ObjectStorage, video: Video, file: string): Promise<void> {
  const validated = video.mediaInfo?.source as SourceFingerprint | undefined;
  if (!validated) throw new PermanentStageError('the source has not been validated: reprocess from upload_validate');
  const changed = () => new PermanentStageError('the source changed after it was validated: reprocess from upload_validate');
  const before = await storage.stat(video.storageKey);
  if (!before) throw new PermanentStageError('the uploaded file is no longer in storage');
  if (!sameObject(fingerprintOf(before), validated)) throw changed();
  await storage.downloadToFile(video.storageKey, file);
  const after = await storage.stat(video.storageKey);
  if (!after || !sameObject(fingerprintOf(after), validated)) throw changed();
}

/** For upload_validate itself: downloads the source and returns what it validated, failing if it changed meanwhile. */
export async function downloadSourceToValidate(storage: ObjectStorage, video: Video, file: string): Promise<SourceFingerprint> {
  const before = await storage.stat(video.storageKey);
  if (!before) throw new PermanentStageError('the uploaded file is no longer in storage');
  await storage.downloadToFile(video.storageKey, file);
  const after = await storage.stat(video.storageKey);
  if (!after || !sameObject(fingerprintOf(after), fingerprintOf(before))) throw new Error('the source was replaced while it was being read');
  return fingerprintOf(before);
}
