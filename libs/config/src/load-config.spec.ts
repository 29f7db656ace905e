import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

function tempRoot(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'heimdex-config-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('starts with no configuration at all: embedded database, local storage, a generated dev secret', () => {
    const root = tempRoot();
    const config = loadConfig({ rootDir: root, env: {} });
    expect(config.database.url).toBeNull();
    expect(config.storage.driver).toBe('local');
    expect(config.auth.devSecret).toBe(true);
    expect(config.auth.jwtSecret).toHaveLength(43);
    // the same DATA_DIR gives the same secret to every process
    expect(loadConfig({ rootDir: root, env: {} }).auth.jwtSecret).toBe(config.auth.jwtSecret);
  });

  it('names every bad or missing variable at once', () => {
    const found = problems(() =>
      loadConfig({
        rootDir: tempRoot(),
        env: {
          PORT: 'eighty',
          DATABASE_URL: 'mysql://x',
          REDIS_URL: 'http://r',
          S3_ENDPOINT: 'http://minio:9000',
          SUPABASE_JWT_SECRET: 'short',
          LOG_LEVEL: 'loud',
        },
      }),
    );
    const names = found.map((p) => p.split(':')[0]);
    expect(names).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'REDIS_URL', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'SUPABASE_JWT_SECRET', 'LOG_LEVEL']));
  });

  it('refuses production without a way to verify tokens', () => {
    expect(problems(() => loadConfig({ rootDir: tempRoot(), env: { NODE_ENV: 'production' } }))).toEqual([
      expect.stringMatching(/^SUPABASE_JWT_SECRET: production needs/),
    ]);
  });

  it('derives the JWKS URL and issuer from SUPABASE_URL', () => {
    const c = loadConfig({ rootDir: tempRoot(), env: { SUPABASE_URL: 'https://abc.supabase.co/' } });
    expect(c.auth.jwksUrl).toBe('https://abc.supabase.co/auth/v1/.well-known/jwks.json');
    expect(c.auth.issuer).toBe('https://abc.supabase.co/auth/v1');
    expect(c.auth.jwtSecret).toBeNull();
  });

  it('reads the one .env file, and the process environment wins over it', () => {
    const root = tempRoot({ '.env': 'PORT=4000\nLOG_LEVEL=debug\n' });
    const c = loadConfig({ rootDir: root, env: { LOG_LEVEL: 'warn' } });
    expect(c.envFile).toBe(join(root, '.env'));
    expect(c.port).toBe(4000);
    expect(c.logLevel).toBe('warn');
  });

  // Seed 004: a second .env (backend/.env vs root .env) silently pointed the app at another database.
  it.each(['apps/api/.env', 'libs/db/src/.env', '.env.local'])('refuses to start when a second env file exists (%s)', (stray) => {
    const root = tempRoot({ '.env': 'DATABASE_URL=postgres://a/one\n', [stray]: 'DATABASE_URL=postgres://b/two\n' });
    expect(() => loadConfig({ rootDir: root, env: {} })).toThrow(/Refusing to start: found .*\.env.*Heimdex reads only \.env/);
  });

  it('uses S3 when configured, signing for the public endpoint', () => {
    const c = loadConfig({
      rootDir: tempRoot(),
      env: { S3_ENDPOINT: 'http://minio:9000', S3_PUBLIC_ENDPOINT: 'https://media.example.com', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'b' },
    });
    expect(c.storage).toMatchObject({ driver: 's3', endpoint: 'http://minio:9000', publicEndpoint: 'https://media.example.com' });
  });
});
