import { CallHandler, ExecutionContext, INestApplication, Injectable, NestInterceptor } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { Observable } from 'rxjs';
import { currentRequestId, REQUEST_ID_HEADER } from '../logging/request-context';
import { completeErrorBody } from './api-error';

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
/** What a timed-out caller is told to wait before retrying (`Retry-After`, seconds). */
const RETRY_AFTER_SECONDS = 2;

const TIMED_OUT = Symbol('chairbook.requestTimedOut');
type Marked = IncomingMessage & { [TIMED_OUT]?: true };

/** The Node request behind a Fastify request (`.raw`) or an Express one (itself). */
function rawRequest(request: unknown): Marked | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  return ((request as { raw?: Marked }).raw ?? request) as Marked;
}

/** True once the request timeout has answered this request (Fastify or Express request). */
export function hasTimedOut(request: unknown): boolean {
  return rawRequest(request)?.[TIMED_OUT] === true;
}

function timeoutBody(requestId: string | undefined) {
  return completeErrorBody(
    { code: 'TIMEOUT', message: 'The request took too long; retry shortly', retryAfterSeconds: RETRY_AFTER_SECONDS },
    503,
    requestId,
  );
}

function requestIdOf(header: unknown): string | undefined {
  return typeof header === 'string' ? header : currentRequestId();
}

interface FastifyLike {
  addHook(name: 'onRequest', hook: (request: { raw: Marked; method: string; url: string }, reply: ReplyLike, done: () => void) => void): void;
}
interface ReplyLike {
  raw: ServerResponse;
  sent: boolean;
  getHeader(name: string): unknown;
  code(status: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): ReplyLike;
}

/**
 * No request waits forever: `ms` after it arrived (a slow database, a stuck lock, guards that
 * query the database included) the caller gets `503 TIMEOUT` with `Retry-After`, the same error
 * body as every other error, instead of a hanging connection that ties up a load balancer slot.
 * The clock starts when the request arrives (Fastify `onRequest` hook, Express middleware) and
 * stops when the answer is finished or the connection closes. Work still running when the
 * timeout answered may finish later; its own answer is dropped (see the filter and
 * `SkipTimedOutRequestInterceptor`, which keeps a handler from starting after it).
 */
export function installRequestTimeout(app: INestApplication, logger: Logger, ms: number = DEFAULT_REQUEST_TIMEOUT_MS): void {
  const adapter = app.getHttpAdapter();
  const arm = (req: Marked, res: ServerResponse, answer: (body: unknown) => void): void => {
    const timer = setTimeout(() => {
      // A timer callback that throws would take the process down: never let it.
      try {
        if (res.headersSent || res.writableEnded || res.destroyed) return;
        req[TIMED_OUT] = true;
        const body = timeoutBody(requestIdOf(res.getHeader(REQUEST_ID_HEADER)));
        logger.warn({ method: req.method, url: req.url, timeoutMs: ms }, 'request timed out');
        answer(body);
      } catch (err) {
        logger.error({ err }, 'could not answer a timed-out request');
      }
    }, ms);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
  };

  if (adapter.getType() === 'fastify') {
    (adapter.getInstance() as FastifyLike).addHook('onRequest', (request, reply, done) => {
      arm(request.raw, reply.raw, (body) => {
        if (reply.sent) return;
        reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send(body);
      });
      done();
    });
  } else {
    app.use((req: Marked, res: ServerResponse, next: () => void) => {
      arm(req, res, (body) => {
        res.statusCode = 503;
        res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(body));
      });
      next();
    });
  }
}

/** Thrown where the handler of a timed-out request would have started; the filter drops it. */
export class RequestTimedOutError extends Error {
  constructor() {
    super('The request timed out before its handler started');
    this.name = 'RequestTimedOutError';
  }
}

/**
 * Runs after the guards: a request that timed out while they ran (they may wait on the
 * database) does not start its handler, so it writes nothing after its caller was told 503.
 */
@Injectable()
export class SkipTimedOutRequestInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http' && hasTimedOut(context.switchToHttp().getRequest())) throw new RequestTimedOutError();
    return next.handle();
  }
}
