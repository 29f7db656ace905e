import { HttpException, ServiceUnavailableException } from '@nestjs/common';
import type { AppConfig } from '@heimdex/config';
import { withTimeout } from '@heimdex/queue';

/**
 * Runs BullMQ work on a request path within REDIS_COMMAND_TIMEOUT_MS: Redis refused or frozen is
 * a quick 503 `queue store unavailable`, not a request hanging until Redis returns. HTTP errors
 * thrown by `work` (404, 409) pass through.
 */
export async function queueStoreCall<T>(config: AppConfig, work: () => Promise<T>): Promise<T> {
  try {
    return await withTimeout(work(), config.worker.redisCommandTimeoutMs);
  } catch (err) {
    if (err instanceof HttpException) throw err;
    const detail = err instanceof Error ? err.message.replace(/^queue store unavailable: /, '') : String(err);
    throw new ServiceUnavailableException(`queue store unavailable (Redis did not answer): ${detail}`);
  }
}
