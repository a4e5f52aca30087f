import { CanActivate, Controller, Get, INestApplication, Injectable, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { configureHttpApp } from '../bootstrap/bootstrap';

const TIMEOUT_MS = 300;
const SLOW_MS = 1_200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What ran, and when: the slow guard's and handlers' late completions are checked against it. */
const calls = { guarded: 0, slowHandlerDone: 0, guardDone: 0 };

/** A guard that waits on a "database" longer than the request timeout (BasicAuthGuard, TenancyGuard). */
@Injectable()
class SlowGuard implements CanActivate {
  async canActivate(): Promise<boolean> {
    await sleep(SLOW_MS);
    calls.guardDone++;
    return true;
  }
}

@Injectable()
class SlowRejectingGuard implements CanActivate {
  async canActivate(): Promise<boolean> {
    await sleep(SLOW_MS);
    throw new Error('the database went away while the guard waited');
  }
}

@Controller()
class ProbeController {
  @Get('fast')
  fast() {
    return { ok: true };
  }

  @Get('slow-guard')
  @UseGuards(SlowGuard)
  slowGuard() {
    calls.guarded++;
    return { ok: true };
  }

  @Get('slow-guard-fails')
  @UseGuards(SlowRejectingGuard)
  slowGuardFails() {
    return { ok: true };
  }

  @Get('slow-handler')
  async slowHandler() {
    await sleep(SLOW_MS);
    calls.slowHandlerDone++;
    return { late: true };
  }

  @Get('slow-handler-fails')
  async slowHandlerFails() {
    await sleep(SLOW_MS);
    throw new Error('failed after the timeout');
  }
}

@Module({ controllers: [ProbeController], providers: [SlowGuard, SlowRejectingGuard] })
class ProbeModule {}

function recordingLogger() {
  const lines: { level: string; msg: string }[] = [];
  const at = (level: string) => (obj: unknown, msg?: string) => lines.push({ level, msg: typeof obj === 'string' ? obj : (msg ?? '') });
  const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), trace: at('trace') };
  return { logger: logger as unknown as Logger, lines };
}

const platforms: [string, () => FastifyAdapter | ExpressAdapter][] = [
  ['Fastify', () => new FastifyAdapter()],
  ['Express', () => new ExpressAdapter()],
];

describe.each(platforms)('request timeout on %s (configureHttpApp, armed when the request arrives)', (_name, adapter) => {
  let app: INestApplication;
  let baseUrl: string;
  let log: ReturnType<typeof recordingLogger>;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    log = recordingLogger();
    app = await NestFactory.create(ProbeModule, adapter(), { logger: false });
    configureHttpApp(app, log.logger, { requestTimeoutMs: TIMEOUT_MS });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await app?.close();
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
  });

  beforeEach(() => {
    calls.guarded = calls.slowHandlerDone = calls.guardDone = 0;
  });

  async function get(path: string) {
    const started = Date.now();
    const response = await fetch(`${baseUrl}${path}`, { headers: { 'x-request-id': `req-${path.slice(1)}` }, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as Record<string, unknown>, ms: Date.now() - started };
  }

  it('answers 503 TIMEOUT with Retry-After within the timeout when a guard is slow, in the shape of every other error', async () => {
    const answer = await get('/slow-guard');
    expect(answer.status).toBe(503);
    expect(answer.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(answer.ms).toBeLessThan(SLOW_MS);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(answer.headers.get('x-request-id')).toBe('req-slow-guard');
    expect(answer.body).toEqual({
      code: 'TIMEOUT',
      message: 'The request took too long; retry shortly',
      retryAfterSeconds: 2,
      requestId: 'req-slow-guard',
      statusCode: 503,
      errorCode: 'TIMEOUT',
      detail: 'The request took too long; retry shortly',
      id: 'req-slow-guard',
    });
    // The guard finishes later; the handler of a request already answered never starts.
    await sleep(SLOW_MS);
    expect(calls.guardDone).toBe(1);
    expect(calls.guarded).toBe(0);
    expect(log.lines).toContainEqual({ level: 'warn', msg: 'request timed out' });
  });

  it('drops the late answer of a handler that outlived the timeout, and its late failure, without a crash or a second reply', async () => {
    const [late, failing, guardFails] = await Promise.all([get('/slow-handler'), get('/slow-handler-fails'), get('/slow-guard-fails')]);
    for (const answer of [late, failing, guardFails]) {
      expect(answer.status).toBe(503);
      expect(answer.body['code']).toBe('TIMEOUT');
      expect(answer.ms).toBeLessThan(SLOW_MS);
    }
    await sleep(SLOW_MS + 200);
    expect(calls.slowHandlerDone).toBe(1);
    expect(unhandled).toEqual([]);
    // The failures after the timeout are not reported as failed requests (the 503 was the answer).
    expect(log.lines.filter((l) => l.level === 'error' && l.msg !== 'request')).toEqual([]);
    // The server still answers.
    expect((await get('/fast')).status).toBe(200);
  });

  it('leaves a normal request alone, and does not fire after it was answered', async () => {
    const before = log.lines.filter((l) => l.msg === 'request timed out').length;
    const answers = await Promise.all(Array.from({ length: 5 }, () => get('/fast')));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ ok: true });
      expect(answer.headers.get('retry-after')).toBeNull();
    }
    await sleep(TIMEOUT_MS + 200);
    expect(log.lines.filter((l) => l.msg === 'request timed out').length).toBe(before);
    expect(unhandled).toEqual([]);
  });

  it('answers unknown routes as before (404 in the usual shape)', async () => {
    const answer = await get('/nowhere');
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ code: 'NOT_FOUND', statusCode: 404, errorCode: 'NOT_FOUND' });
  });
});
