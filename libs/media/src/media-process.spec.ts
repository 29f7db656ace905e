import { MediaCancelledError, MediaLimitError, runMediaProcess, runningMediaProcesses } from './media-process';
import { resolveFfmpegBinaries } from './ffmpeg-binaries';

const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
/** An endless decode-and-encode of generated 1080p video: runs until something stops it. */
const endless = ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=25', '-f', 'null', '-'];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function pidOnceRunning(label: string): Promise<number> {
  for (;;) {
    const found = runningMediaProcesses().find((p) => p.label === label);
    if (found) return found.pid;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('runMediaProcess (real ffmpeg)', () => {
  it('kills a child past its wall clock and says so', async () => {
    const run = runMediaProcess(bins.ffmpeg, endless, { label: 'endless', limits: { memoryMb: null, timeoutMs: 1500 } });
    const pid = await pidOnceRunning('endless');
    await expect(run).rejects.toThrow(new MediaLimitError('time', 'endless ran past its 2 s time limit and was killed'));
    expect(alive(pid)).toBe(false);
    expect(runningMediaProcesses()).toEqual([]);
  });

  it('kills the child when its caller aborts', async () => {
    const abort = new AbortController();
    const run = runMediaProcess(bins.ffmpeg, endless, { label: 'cancelled', limits: { memoryMb: null, timeoutMs: null, signal: abort.signal } });
    const pid = await pidOnceRunning('cancelled');
    abort.abort();
    await expect(run).rejects.toBeInstanceOf(MediaCancelledError);
    expect(alive(pid)).toBe(false);
  });

  it('stops a child that needs more memory than its limit with a memory reason', async () => {
    const huge = ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=7680x4320:r=1:d=3', '-vf', 'scale=8192:8192', '-f', 'null', '-'];
    const run = runMediaProcess(bins.ffmpeg, huge, { label: 'huge frames', limits: { memoryMb: 250, timeoutMs: 120_000 } });
    await expect(run).rejects.toThrow(new MediaLimitError('memory', 'huge frames exceeded its 250 MB memory limit and was stopped'));
  });

  it('names the first meaningful stderr line when the child fails on its own', async () => {
    await expect(runMediaProcess(bins.ffmpeg, ['-nostdin', '-v', 'error', '-i', '/nonexistent.mp4', '-f', 'null', '-'], { label: 'probe' })).rejects.toThrow(
      /^probe failed: .*No such file or directory/,
    );
  });
});
