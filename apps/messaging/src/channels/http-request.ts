import { Pool } from 'undici';
import type { Dispatcher } from 'undici';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request failed without an answer. `requestSent` tells whether the server may have received
 * it (a timeout or reset after the request went on a connection) or certainly did not (the
 * connection was never made: refused, unresolvable, connect timeout).
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

/** Errors that mean no connection was made, so no request can have left. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * A keep-alive connection pool to one origin (one TLS/TCP handshake per connection, not per
 * message). undici rather than node:http: a provider call is the largest piece of a message's
 * CPU in the service, and undici's dispatcher spends about half of what node:http's
 * ClientRequest/Agent/IncomingMessage machinery does per request (measured ~40 vs ~75 µs).
 */
export function keepAlivePool(url: string, connections: number, timeoutMs: number): Pool {
  return new Pool(new URL(url).origin, {
    connections,
    pipelining: 1,
    connect: { timeout: timeoutMs },
  });
}

/**
 * One request on the pool; resolves with the whole answer, rejects with HttpTransportError.
 * `path` is the path and query on the pool's origin. `timeoutMs` bounds the wait for the
 * answer's headers and then for each piece of its body.
 */
export function sendHttp(
  pool: Dispatcher,
  path: string,
  options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    let started = false;
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];
    pool.dispatch(
      { path, method: options.method, headers: options.headers, body: options.body, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs },
      {
        onRequestStart() {
          // The request has a connection and is about to be written: from here on the server may get it.
          started = true;
        },
        onResponseStart(_controller, statusCode, responseHeaders) {
          status = statusCode;
          headers = responseHeaders as Record<string, string | string[] | undefined>;
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          resolve({ status, headers, body: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8') });
        },
        onResponseError(_controller, err) {
          const code = (err as NodeJS.ErrnoException).code ?? 'NETWORK_ERROR';
          reject(new HttpTransportError(err.message, code, started && !NOT_CONNECTED.has(code)));
        },
      },
    );
  });
}
