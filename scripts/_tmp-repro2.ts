import { resolveFfmpegBinaries, runScenePass } from '@heimdex/media';
import { mkdtempSync } from 'node:fs';
(async () => {
  const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
  for (const f of process.argv.slice(2)) {
    const r = await runScenePass(bins, f, mkdtempSync('/tmp/ff/out-'), { framesPerSecond: 2, maxFrameSide: 1280, decodeFps: 6, cutThreshold: 0.06, duplicateBelow: 0.04, forceEveryS: 10 }, { memoryMb: 4096, timeoutMs: 300000 }).then((r) => `${r.decoded}/${r.frames.length} ${r.durationS}`, (e: Error) => e.message);
    console.log(f, r);
  }
})();
