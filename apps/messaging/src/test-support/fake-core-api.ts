import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** Answers GET /third-party-api-server/api/principal for the credentials it knows, like core-api. */
export class FakeCoreApi {
  private server?: Server;
  private readonly users = new Map<string, object>();
  url = '';
  calls = 0;

  addUser(email: string, password: string, principal: { userId: string; businessId: string; role: string; staffId?: string | null }): string {
    const header = `Basic ${Buffer.from(`global/${email}:${password}`).toString('base64')}`;
    this.users.set(header, { email, staffId: null, ...principal });
    return header;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.calls++;
      const principal = req.url === '/third-party-api-server/api/principal' ? this.users.get(req.headers.authorization ?? '') : undefined;
      res.writeHead(principal ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(principal ?? { code: 'UNAUTHORIZED', message: 'no' }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
