import { JobStage } from '@heimdex/db';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A stage's scratch folder is `heimdex-<stage>-<pid>-XXXXXX` in the temp dir: the pid says whose it is. */
export function stageWorkDirPrefix(stage: JobStage, pid = process.pid): string {
  return `heimdex-${stage}-${pid}-`;
}

const LEGACY_MIN_AGE_MS = 3600_000;
const NAME = new RegExp(`^heimdex-(${Object.values(JobStage).join('|')})-(?:(\\d+)-)?[A-Za-z0-9]{6}$`);

/**
 * Removes the scratch folders (each holding a copy of a source video) that killed stages left
 * behind. Rule: a folder is removed when the worker pid in its name is no longer running, or,
 * for a name without a pid (versions before the pid was added), when it was last changed before
 * `startedAt` and at least an hour ago (such a folder cannot tell whose it is). A
 * folder of a running pid is left alone: another worker on this host (sharing this temp dir
 * and pid namespace) may be using it. Returns the removed folders.
 */
export async function removeAbandonedWorkDirs(dir: string, startedAt: Date): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = NAME.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    const pid = m[2] ? Number(m[2]) : null;
    const cutoff = new Date(Math.min(startedAt.getTime(), Date.now() - LEGACY_MIN_AGE_MS));
    const abandoned = pid !== null ? pid !== process.pid && !isRunning(pid) : await olderThan(path, cutoff);
    if (!abandoned) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function olderThan(path: string, when: Date): Promise<boolean> {
  const s = await stat(path).catch(() => null);
  return s !== null && s.mtime < when;
}
