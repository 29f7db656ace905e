import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';

const root = join(__dirname, '..', '..');
/** Far beyond what the fixture needs to start and close a stack, even on a loaded machine: only a hang reaches it. */
const HANG_MS = 300_000;

/**
 * A `beforeAll` that times out while its test stack is still starting must not leave that start
 * running past the file: before the fix it went on after Jest tore the environment down, its queue
 * worker looped forever on "IORedisCtor is not a constructor", and the Jest process never exited.
 */
describe('a test stack start abandoned by a timed-out hook', () => {
  it(
    'is closed before the file ends: Jest exits, nothing runs after teardown, no worker stays on Redis',
    async () => {
      const prefix = `heimdex-test-abandoned-${randomBytes(4).toString('hex')}`;
      const child = spawn(
        process.execPath,
        [
          '--experimental-vm-modules',
          '--no-warnings=ExperimentalWarning',
          join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
          '--runInBand',
          '--ci',
          '--testRegex',
          'abandoned-start\\.fixture\\.ts$',
        ],
        { cwd: root, env: { ...process.env, ABANDONED_START_PREFIX: prefix }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const hang = new Promise<'hung'>((r) => setTimeout(() => r('hung'), HANG_MS).unref());
      const outcome = await Promise.race([exit, hang]);

      const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
      const clients = String(await redis.client('LIST'));
      await redis.quit();
      if (outcome === 'hung') {
        child.kill('SIGKILL');
        await exit;
      }

      expect({ outcome, workersOnRedis: clients.includes(prefix) }).toEqual({ outcome: 1, workersOnRedis: false });
      expect(output).toMatch(/Exceeded timeout of \d+ ms for a hook/);
      expect(output).not.toMatch(/torn down|is not a constructor/);
    },
    HANG_MS + 30_000,
  );
});
