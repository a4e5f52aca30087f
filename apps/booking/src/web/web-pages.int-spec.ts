import { createManageToken } from '@chairbook/platform';
import { ServiceHarness, startServiceForTest } from '@chairbook/testing';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BookingConfig, loadBookingConfig } from '../config/booking.config';
import { createBookingApp } from '../http-app';

describe('booking pages and the public API edge (fake core-api)', () => {
  let web: string;
  let fakeCore: Server;
  let booking: ServiceHarness<BookingConfig>;
  const secret = 'a-test-link-signing-secret';

  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'booking-web-'));
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Book online</title>');
    writeFileSync(join(web, 'assets', 'main-AbC123.js'), 'console.log(1)');
    fakeCore = createServer((req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"NOT_FOUND","message":"Branch not found"}'));
    await new Promise<void>((resolve) => fakeCore.listen(0, '127.0.0.1', resolve));
    booking = await startServiceForTest({
      loadConfig: loadBookingConfig,
      createApp: (config) => createBookingApp(config),
      env: {
        CORE_API_URL: `http://127.0.0.1:${(fakeCore.address() as { port: number }).port}`,
        BOOKING_WEB_DIR: web,
        LINK_SIGNING_SECRET: secret,
        RATE_LIMIT_IP_PER_MINUTE: '8',
      },
    });
  });
  afterAll(async () => {
    await booking?.close();
    fakeCore?.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('answers every page address with index.html (deep links survive a reload), safely headed', async () => {
    for (const path of ['/book/foundation-hair', '/book/foundation-hair/time', '/book/manage/abc.def?salon=x']) {
      const res = await fetch(`${booking.baseUrl}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>Book online</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
  });

  it('caches hashed assets for a year and 404s missing ones and unknown API routes as JSON', async () => {
    const asset = await fetch(`${booking.baseUrl}/book/assets/main-AbC123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('max-age=31536000');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${booking.baseUrl}/book/assets/nope.js`);
    expect(missing.status).toBe(404);
    const api = await fetch(`${booking.baseUrl}/book/api/nothing-here`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { code: string }).code).toBe('NOT_FOUND');
  });

  it('refuses tampered and expired manage links with their own codes', async () => {
    const claims = { bookingId: 'A'.repeat(22), businessId: 'B'.repeat(22), branchId: 'C'.repeat(22) };
    const good = createManageToken(secret, { ...claims, exp: Math.floor(Date.now() / 1000) + 3600 });
    const tampered = `${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`;
    const forged = await fetch(`${booking.baseUrl}/book/api/bookings/${tampered}`);
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { code: string }).code).toBe('LINK_INVALID');
    const old = createManageToken(secret, { ...claims, exp: Math.floor(Date.now() / 1000) - 60 });
    const expired = await fetch(`${booking.baseUrl}/book/api/bookings/${old}`);
    expect(expired.status).toBe(410);
    expect(((await expired.json()) as { code: string }).code).toBe('LINK_EXPIRED');
  });

  it('answers an unknown salon 404 and a too-fast address 429 with Retry-After and a friendly message', async () => {
    const first = await fetch(`${booking.baseUrl}/book/api/salons/no-such-salon`);
    expect(first.status).toBe(404);
    let limited: Response | undefined;
    for (let i = 0; i < 10 && !limited; i++) {
      const res = await fetch(`${booking.baseUrl}/book/api/salons/no-such-salon`);
      if (res.status === 429) limited = res;
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await limited!.json()) as { code: string; message: string };
    expect(body.code).toBe('RATE_LIMITED');
    expect(body.message).toMatch(/wait a moment/);
    // Pages and health stay reachable: only the API is limited.
    expect((await fetch(`${booking.baseUrl}/book/foundation-hair`)).status).toBe(200);
  });
});
