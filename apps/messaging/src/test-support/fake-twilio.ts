import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface FakeSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string;
  auth: string | undefined;
  createdAt: Date;
}

/**
 * A Twilio-compatible Messages API on 127.0.0.1 that records what it receives. `failNext`
 * queues HTTP failures; numbers in `invalidNumbers` are refused like Twilio's 21211.
 */
export class FakeTwilio {
  readonly messages: FakeSms[] = [];
  readonly invalidNumbers = new Set<string>();
  private failures: { status: number; retryAfter?: string }[] = [];
  private server?: Server;
  private seq = 0;
  baseUrl = '';
  requests = 0;
  /** Message-list queries (how the service reconciles a send whose outcome it lost). */
  lookups = 0;

  constructor(readonly accountSid = 'AC00000000000000000000000000000001') {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(([status, body, headers]) => {
        res.writeHead(status, { 'content-type': 'application/json', ...(headers ?? {}) });
        res.end(JSON.stringify(body));
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  failNext(count: number, status: number, retryAfter?: string): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, retryAfter });
  }

  /** Messages per recipient+body, to assert "exactly once". */
  countsByBody(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.messages) counts.set(`${m.to}|${m.body}`, (counts.get(`${m.to}|${m.body}`) ?? 0) + 1);
    return counts;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown, Record<string, string>?]> {
    this.requests++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const base = `/2010-04-01/Accounts/${this.accountSid}`;
    if (req.method === 'GET' && url.pathname === `${base}.json`) return [200, { sid: this.accountSid, status: 'active' }];
    if (req.method === 'GET' && url.pathname === `${base}/Messages.json`) {
      this.lookups++;
      const to = url.searchParams.get('To');
      const list = this.messages.filter((m) => !to || m.to === to).reverse();
      return [200, { messages: list.map((m) => ({ sid: m.sid, to: m.to, from: m.from, body: m.body, status: 'sent', date_created: m.createdAt.toUTCString() })) }];
    }
    if (req.method !== 'POST' || url.pathname !== `${base}/Messages.json`) return [404, { code: 20404, message: 'not found' }];
    const failure = this.failures.shift();
    if (failure) return [failure.status, { code: failure.status === 429 ? 20429 : 20500, message: 'try later' }, failure.retryAfter ? { 'retry-after': failure.retryAfter } : undefined];
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const to = form.get('To') ?? '';
    if (this.invalidNumbers.has(to)) return [400, { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, status: 400 }];
    const sms: FakeSms = {
      sid: `SM${(++this.seq).toString(16).padStart(32, '0')}`,
      to,
      from: form.get('From') ?? '',
      body: form.get('Body') ?? '',
      statusCallback: form.get('StatusCallback') ?? '',
      auth: req.headers.authorization,
      createdAt: new Date(),
    };
    this.messages.push(sms);
    return [201, { sid: sms.sid, status: 'queued', to: sms.to, body: sms.body, date_created: sms.createdAt.toUTCString() }];
  }
}
