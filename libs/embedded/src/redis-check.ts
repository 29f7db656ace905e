import Redis from 'ioredis';

/** Resolves when Redis answers PING within the timeout; rejects with a how-to-start message otherwise. */
export async function assertRedisReachable(url: string, timeoutMs = 2000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    const safe = url.replace(/\/\/[^@/]*@/, '//***@');
    throw new Error(
      [
        `Redis did not answer at ${safe} (${err instanceof Error ? err.message : String(err)}).`,
        'Heimdex queues its pipeline jobs in Redis. Start one, then run npm start again:',
        '  Debian/Ubuntu:  sudo apt-get install -y redis-server && redis-server --daemonize yes',
        '  macOS:          brew install redis && brew services start redis',
        '  Docker:         docker run -d --name heimdex-redis -p 6379:6379 redis:7-alpine',
        'or point REDIS_URL at a Redis you already run.',
      ].join('\n'),
      { cause: err },
    );
  } finally {
    client.disconnect();
  }
}
