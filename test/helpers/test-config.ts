import { AppConfig, loadConfig } from '@heimdex/config';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_JWT_SECRET } from '../../scripts/lib/tokens';

export { TEST_JWT_SECRET } from '../../scripts/lib/tokens';

/**
 * A config built exactly as production builds it (loadConfig), rooted in a temp folder so a
 * developer's own .env never leaks into tests (only REDIS_URL is read from the environment). Each
 * call gets its own data dir and queue prefix.
 */
export function testConfig(env: Record<string, string | undefined> = {}): AppConfig {
  const root = mkdtempSync(join(tmpdir(), 'heimdex-test-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  return loadConfig({
    rootDir: root,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SUPABASE_JWT_SECRET: TEST_JWT_SECRET,
      // The one setting tests take from the environment: which Redis to use (default :6379).
      REDIS_URL: process.env.REDIS_URL,
      QUEUE_PREFIX: `heimdex-test-${randomBytes(4).toString('hex')}`,
      OUTBOX_POLL_MS: '200',
      SHUTDOWN_TIMEOUT_MS: '3000',
      ...env,
    },
  });
}
