/**
 * `npm run token -- --sub <uuid> --email a@b.c --role admin --tier pro [--ttl 3600]`
 * Prints a dev access token signed with the configured secret (stdout holds only the token).
 */
import { loadConfig } from '@heimdex/config';
import { parseArgs } from 'node:util';
import { mintDevToken } from './dev-token';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string', default: 'user' },
      tier: { type: 'string', default: 'free' },
      ttl: { type: 'string' },
      anonymous: { type: 'boolean', default: false },
    },
  });
  if (values.sub && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(values.sub)) throw new Error('--sub must be a UUID');
  if (values.role !== 'admin' && values.role !== 'user') throw new Error('--role must be admin or user');
  if (!['free', 'pro', 'enterprise'].includes(values.tier ?? '')) throw new Error('--tier must be free, pro or enterprise');
  const token = await mintDevToken(loadConfig(), {
    sub: values.sub,
    email: values.email,
    role: values.role,
    tier: values.tier as 'free' | 'pro' | 'enterprise',
    ttlS: values.ttl ? Number(values.ttl) : undefined,
    anonymous: values.anonymous,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
