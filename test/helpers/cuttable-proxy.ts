import { createServer, Server, Socket, connect } from 'node:net';

/** A TCP proxy to a real service (Redis, S3) that a test can cut (refused) or freeze (connected, silent) and restore, simulating an outage. */
export class CuttableProxy {
  private server: Server | null = null;
  private pairs = new Set<{ client: Socket; upstream: Socket }>();
  private frozen = false;
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async up(): Promise<void> {
    if (this.server) return;
    this.server = createServer((client) => {
      const pair = { client, upstream: connect(this.target.port, this.target.host) };
      this.pairs.add(pair);
      if (this.frozen) stop(pair);
      else flow(pair);
      const drop = () => {
        this.pairs.delete(pair);
        pair.client.destroy();
        pair.upstream.destroy();
      };
      for (const s of [pair.client, pair.upstream]) s.on('error', drop).on('close', drop);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
  }

  /** Connections stay open and new ones are accepted, but nothing is forwarded (held until thaw): a hung service. */
  freeze(): void {
    this.frozen = true;
    for (const pair of this.pairs) stop(pair);
  }

  thaw(): void {
    if (!this.frozen) return;
    this.frozen = false;
    for (const pair of this.pairs) flow(pair);
  }

  async down(): Promise<void> {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = null;
  }
}

function flow({ client, upstream }: { client: Socket; upstream: Socket }): void {
  client.pipe(upstream);
  upstream.pipe(client);
}

/** Unpiped as well as paused: a piped stream resumes by itself when its destination drains. */
function stop({ client, upstream }: { client: Socket; upstream: Socket }): void {
  client.unpipe(upstream);
  upstream.unpipe(client);
  client.pause();
  upstream.pause();
}
