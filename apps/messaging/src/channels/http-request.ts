import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request failed without an answer. `requestSent` tells whether the server may have received
 * it (a timeout or reset after the body was written) or certainly did not (connection refused).
 */
export class HttpTransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly requestSent: boolean,
  ) {
    super(message);
    this.name = 'HttpTransportError';
  }
}

/** Keep-alive agents: one TLS/TCP handshake per connection, not per message. */
export function keepAliveAgent(url: string, maxSockets: number): HttpAgent {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' as const };
  return url.startsWith('https:') ? new HttpsAgent(options) : new HttpAgent(options);
}

/** Parsed targets, by URL: a provider's few endpoints are parsed once, not once per message. */
const targets = new Map<string, { https: boolean; hostname: string; port: string; path: string }>();

function targetOf(url: string) {
  let t = targets.get(url);
  if (!t) {
    const u = new URL(url);
    t = { https: u.protocol === 'https:', hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port, path: `${u.pathname}${u.search}` };
    if (targets.size > 100) targets.clear();
    targets.set(url, t);
  }
  return t;
}

export function sendHttp(
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number; agent: HttpAgent },
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const target = targetOf(url);
    const send = target.https ? httpsRequest : httpRequest;
    let written = false;
    const req = send(
      {
        hostname: target.hostname,
        port: target.port || undefined,
        path: target.path,
        method: options.method,
        headers: options.body !== undefined ? { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) } : options.headers,
        agent: options.agent,
        timeout: options.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => reject(new HttpTransportError(err.message, 'RESPONSE_ERROR', true)));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'NETWORK_ERROR';
      // Refused or unresolvable: the request never left. Anything else may have been received.
      const certainlyNotSent = !written || code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
      reject(new HttpTransportError(err.message, code, !certainlyNotSent));
    });
    // Headers and body leave in one write.
    written = true;
    req.end(options.body);
  });
}
