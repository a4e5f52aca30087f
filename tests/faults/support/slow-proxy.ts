import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy that can slow a dependency down: with `setDelay(ms)`, every chunk the upstream
 * (MariaDB) sends back is held for `ms` before it reaches the client, in order. libs/testing's
 * TcpProxy can cut and restore but not delay; this is its slow cousin for the slow-database
 * fault test (a candidate for libs/testing once a second test needs it).
 */
export class SlowProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private delayMs = 0;
  port = 0;
  /** Chunks delivered late, for the report. */
  delayedChunks = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  async start(): Promise<number> {
    const server = createServer((client) => {
      const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream);
      // Responses: delayed, order kept (each chunk leaves no earlier than the one before it).
      let lastDue = 0;
      upstream.on('data', (chunk: Buffer) => {
        if (!this.delayMs) {
          if (lastDue <= Date.now()) {
            client.write(chunk);
            return;
          }
        }
        const due = Math.max(Date.now() + this.delayMs, lastDue);
        lastDue = due;
        this.delayedChunks++;
        setTimeout(() => {
          if (!client.destroyed) client.write(chunk);
        }, due - Date.now());
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => setTimeout(() => client.destroy(), Math.max(0, lastDue - Date.now())));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}
