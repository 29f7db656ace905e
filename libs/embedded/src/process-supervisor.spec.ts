import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessSupervisor } from './process-supervisor';

const dir = mkdtempSync(join(tmpdir(), 'heimdex-supervisor-'));
function script(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
}

describe('ProcessSupervisor (real child processes)', () => {
  it('restarts a crashing child with exponential backoff and reports the crash loop', async () => {
    const crash = script('crash.js', 'process.exit(3);');
    const logs: string[] = [];
    const scheduled: { delay: number; loop: boolean }[] = [];
    const sup = new ProcessSupervisor({
      name: 'worker',
      start: () => fork(crash, [], { stdio: 'ignore' }),
      log: (m) => logs.push(m),
      initialDelayMs: 20,
      maxDelayMs: 160,
      crashLoopCrashes: 5,
      crashLoopWindowMs: 60_000,
      onRestartScheduled: (delay, loop) => scheduled.push({ delay, loop }),
    });
    sup.start();
    await new Promise<void>((resolve) => {
      const t = setInterval(() => scheduled.length >= 6 && (clearInterval(t), resolve()), 10);
    });
    await sup.stop(1000);
    expect(scheduled.slice(0, 6).map((s) => s.delay)).toEqual([20, 40, 80, 160, 160, 160]);
    expect(scheduled.slice(0, 6).map((s) => s.loop)).toEqual([false, false, false, false, true, true]);
    expect(logs.filter((l) => /^worker started \(pid \d+\)$/.test(l)).length).toBeGreaterThanOrEqual(6);
    expect(logs).toContain('worker exited unexpectedly (code 3); restarting in 0.0 s');
    expect(logs.some((l) => /worker is in a crash loop: 5 crashes in the last 60 s/.test(l))).toBe(true);
  });

  it('restarts a killed child and stops it (no restart) when asked', async () => {
    const idle = script('idle.js', 'setInterval(() => {}, 1000);');
    const logs: string[] = [];
    const sup = new ProcessSupervisor({ name: 'api', start: () => fork(idle, [], { stdio: 'ignore' }), log: (m) => logs.push(m), initialDelayMs: 10 });
    sup.start();
    const first = sup.child!;
    first.kill('SIGKILL');
    await new Promise<void>((resolve) => {
      const t = setInterval(() => sup.child && sup.child !== first && (clearInterval(t), resolve()), 10);
    });
    const second = sup.child!;
    expect(logs).toContain('api exited unexpectedly (signal SIGKILL); restarting in 0.0 s');
    await sup.stop(5000);
    expect(second.signalCode).toBe('SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    expect(sup.child).toBeNull();
    expect(sup.crashCount).toBe(1);
  });
});
