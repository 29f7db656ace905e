import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import type { Server } from 'node:http';

/**
 * Graceful HTTP shutdown with a deadline: in-flight requests get SHUTDOWN_TIMEOUT_MS to finish
 * (server.close waits for them), then any connection still open (a slow upload, a client that
 * never reads) is closed so the process can exit. server.close closes idle keep-alive
 * connections only once, so connections that become idle while draining (an event stream that
 * just ended) are closed as they go.
 */
@Injectable()
export class HttpDrain implements BeforeApplicationShutdown {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  beforeApplicationShutdown(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    const idle = setInterval(() => server.closeIdleConnections(), 100).unref();
    const deadline = setTimeout(() => server.closeAllConnections(), this.config.worker.shutdownTimeoutMs).unref();
    server.once('close', () => {
      clearInterval(idle);
      clearTimeout(deadline);
    });
  }
}
