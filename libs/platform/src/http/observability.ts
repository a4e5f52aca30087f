import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { Histogram, register } from 'prom-client';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestContext } from '../logging/request-context';

const httpDuration = (() => {
  const existing = register.getSingleMetric('http_request_duration_seconds');
  return (
    (existing as Histogram<'method' | 'route' | 'status'> | undefined) ??
    new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    })
  );
})();

type RoutedRequest = IncomingMessage & {
  route?: { path?: string };
  baseUrl?: string;
  routeOptions?: { url?: string };
};

const QUIET_PATHS = new Set(['/health', '/health/live', '/metrics']);

/**
 * Request ids, access logs and latency metrics for both HTTP platforms. Route *templates*
 * (not raw URLs) label the metrics so ids in paths cannot explode the series count.
 */
export function installHttpObservability(app: INestApplication, logger: Logger): void {
  const adapter = app.getHttpAdapter();
  const finish = (req: RoutedRequest, res: ServerResponse, started: bigint, route: string | undefined) => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const template = route ?? 'unmatched';
    httpDuration.observe({ method: req.method ?? 'GET', route: template, status: String(res.statusCode) }, seconds);
    const path = (req.url ?? '').split('?')[0];
    if (QUIET_PATHS.has(path)) return;
    const line = { method: req.method, url: req.url, route: template, status: res.statusCode, ms: Math.round(seconds * 1000) };
    if (res.statusCode >= 500) logger.error(line, 'request');
    else logger.info(line, 'request');
  };

  if (adapter.getType() === 'fastify') {
    const fastify = adapter.getInstance();
    fastify.addHook('onRequest', (request: { raw: RoutedRequest; headers: Record<string, unknown> }, reply: { header(k: string, v: string): void }, done: () => void) => {
      const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
      reply.header(REQUEST_ID_HEADER, requestId);
      (request as unknown as { started: bigint }).started = process.hrtime.bigint();
      runWithRequestContext({ requestId }, done);
    });
    fastify.addHook('onResponse', (request: { raw: RoutedRequest; routeOptions?: { url?: string }; started: bigint }, reply: { raw: ServerResponse }, done: () => void) => {
      finish(request.raw, reply.raw, request.started, request.routeOptions?.url);
      done();
    });
  } else {
    app.use((req: RoutedRequest, res: ServerResponse, next: () => void) => {
      const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
      res.setHeader(REQUEST_ID_HEADER, requestId);
      const started = process.hrtime.bigint();
      res.on('finish', () => finish(req, res, started, req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : undefined));
      runWithRequestContext({ requestId }, next);
    });
  }
}
