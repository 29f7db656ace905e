import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobStage } from '@heimdex/db';
import { removeAbandonedWorkDirs, stageWorkDirPrefix } from './stage-work-dirs';

describe('removeAbandonedWorkDirs (real folders and processes)', () => {
  it('removes the folders of dead workers and old unnamed ones, keeps live ones and anything else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heimdex-workdirs-'));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const make = (name: string, ageS = 0) => {
      const path = join(dir, name);
      mkdirSync(path);
      writeFileSync(join(path, 'source'), 'video bytes');
      const t = new Date(Date.now() - ageS * 1000);
      utimesSync(path, t, t);
      return path;
    };
    try {
      const deadDir = make(`${stageWorkDirPrefix(JobStage.SceneDetect, dead)}aB3xYz`);
      const liveDir = make(`${stageWorkDirPrefix(JobStage.AudioExtract, live.pid!)}Qw12Er`);
      const ownDir = make(`${stageWorkDirPrefix(JobStage.UploadValidate)}Zx98Cv`);
      const oldLegacy = make('heimdex-scene_detect-Ab12Cd', 7200);
      const freshLegacy = make('heimdex-scene_detect-Ef34Gh', 10);
      const other = make('heimdex-media-Ij56Kl', 7200);

      const removed = await removeAbandonedWorkDirs(dir, new Date());
      expect(removed.sort()).toEqual([deadDir, oldLegacy].sort());
      expect([deadDir, oldLegacy].map(existsSync)).toEqual([false, false]);
      expect([liveDir, ownDir, freshLegacy, other].map(existsSync)).toEqual([true, true, true, true]);
    } finally {
      live.kill();
    }
  });
});
