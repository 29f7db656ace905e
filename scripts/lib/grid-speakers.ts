import { findProjectRoot } from '@heimdex/config';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Recording } from './face-calibration';

/** The committed GRID talking-head clips (test/fixtures/realmedia/faces), each with the speaker in it. */
export function gridRecordings(dir = join(findProjectRoot(), 'test/fixtures/realmedia/faces')): Recording[] {
  const { clips } = JSON.parse(readFileSync(join(dir, 'speakers.json'), 'utf8')) as { clips: Record<string, string> };
  return Object.entries(clips)
    .map(([name, person]) => ({ name, person, path: join(dir, `${name}.mpg`) }))
    .filter((r) => existsSync(r.path));
}
