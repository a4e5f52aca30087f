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

export function sendHttp(
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number; agent: HttpAgent },
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let written = false;
    const req = send(
      target,
      {
        method: options.method,
        headers: { ...options.headers, ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}) },
        agent: options.agent,
        timeout: options.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
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
    if (options.body !== undefined) req.write(options.body);
    written = true;
    req.end();
  });
}
