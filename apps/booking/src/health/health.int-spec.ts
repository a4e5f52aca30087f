import { startServiceForTest, ServiceHarness } from '@chairbook/testing';
import { createServer, Server } from 'node:http';
import { BookingConfig, loadBookingConfig } from '../config/booking.config';

type Json = { code?: string; details: Record<string, { status: string }> };
const json = async (response: Response) => (await response.json()) as Json;
import { createBookingApp } from '../http-app';

describe('booking /health follows core-api reachability', () => {
  let fakeCore: Server;
  let corePort = 0;
  let booking: ServiceHarness<BookingConfig>;

  const startFakeCore = (port = 0) =>
    new Promise<void>((resolve) => {
      fakeCore = createServer((req, res) => {
        res.writeHead(req.url === '/health/live' ? 200 : 404, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      }).listen(port, '127.0.0.1', () => {
        corePort = (fakeCore.address() as { port: number }).port;
        resolve();
      });
    });

  beforeAll(async () => {
    await startFakeCore();
    booking = await startServiceForTest({
      loadConfig: loadBookingConfig,
      createApp: (config) => createBookingApp(config),
      env: { CORE_API_URL: `http://127.0.0.1:${corePort}` },
    });
  });
  afterAll(async () => {
    await booking?.close();
    fakeCore?.close();
  });

  it('is 200 while core-api answers, 503 naming coreApi when it does not, and recovers by itself', async () => {
    const up = await fetch(`${booking.baseUrl}/health`);
    expect(up.status).toBe(200);
    expect((await json(up)).details.coreApi.status).toBe('up');

    await new Promise<void>((r) => fakeCore.close(() => r()));
    const down = await fetch(`${booking.baseUrl}/health`);
    expect(down.status).toBe(503);
    expect((await json(down)).details.coreApi.status).toBe('down');

    await startFakeCore(corePort);
    expect((await fetch(`${booking.baseUrl}/health`)).status).toBe(200);
  });

  it('answers unknown routes with JSON 404 and malformed JSON with 400 MALFORMED_JSON', async () => {
    const missing = await fetch(`${booking.baseUrl}/nothing-here`);
    expect(missing.status).toBe(404);
    expect((await json(missing)).code).toBe('NOT_FOUND');
    const broken = await fetch(`${booking.baseUrl}/health`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":' });
    expect(broken.status).toBe(400);
    expect((await json(broken)).code).toBe('MALFORMED_JSON');
  });

  it('serves Prometheus metrics', async () => {
    const text = await (await fetch(`${booking.baseUrl}/metrics`)).text();
    expect(text).toContain('http_request_duration_seconds');
  });
});
