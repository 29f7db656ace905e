import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { WorkerMetrics } from './worker-metrics';

/**
 * Serves the worker's metrics at GET /metrics on HOST:WORKER_METRICS_PORT (the worker has no
 * HTTP app otherwise). With METRICS_TOKEN set, a scrape must bring it as a Bearer token.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetricsServer.name);
  private server: Server | null = null;

  constructor(
    private readonly metrics: WorkerMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The port it listens on (WORKER_METRICS_PORT=0 picks one); null when not served. */
  get port(): number | null {
    return (this.server?.address() as AddressInfo | null)?.port ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.worker.metricsPort;
    if (port === null) return;
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.host, () => resolve());
    });
    this.server = server;
    this.logger.log(`metrics at http://${this.config.host}:${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') return this.reply(res, 404, 'not found: GET /metrics');
    if (!this.authorised(req.headers.authorization)) return this.reply(res, 401, 'metrics need METRICS_TOKEN as a Bearer token');
    try {
      const body = await this.metrics.registry.metrics();
      res.writeHead(200, { 'Content-Type': this.metrics.registry.contentType });
      res.end(body);
    } catch (err) {
      this.logger.warn(`metrics scrape failed: ${String(err)}`);
      this.reply(res, 500, 'metrics are unavailable');
    }
  }

  private authorised(header: string | undefined): boolean {
    const expected = this.config.auth.metricsToken;
    if (!expected) return true;
    const given = header?.startsWith('Bearer ') ? header.slice(7) : '';
    return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  }

  private reply(res: ServerResponse, status: number, message: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`${message}\n`);
  }
}
