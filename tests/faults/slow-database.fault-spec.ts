import { captureEvents, createTestVhost, queryDatabase, testDb, waitFor } from '@chairbook/testing';
import { CoreApi, ownerAuth, startCoreApi } from './support/built-services';
import { databaseNow, EventTap, integrity, report } from './support/checks';
import { Attempt, book, demoSalon, freeSlots, Salon, Slot } from './support/salon';
import { SlowProxy } from './support/slow-proxy';

const API = '/third-party-api-server/api/business';
const DELAY_MS = 500;
const POOL = 2;
/** core-api's request timeout (`REQUEST_TIMEOUT_MS`, counted from the request's arrival; the production default). */
const REQUEST_TIMEOUT_MS = 15_000;

interface Answer {
  what: string;
  status: number | 'hang' | 'error';
  code?: string;
  retryAfter?: string | null;
  ms: number;
}

async function get(baseUrl: string, path: string, what: string, timeoutMs = 60_000): Promise<Answer> {
  const started = Date.now();
  try {
    const response = await fetch(`${baseUrl}${path}`, { headers: ownerAuth, signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => ({}))) as { code?: string };
    return { what, status: response.status, code: body.code, retryAfter: response.headers.get('retry-after'), ms: Date.now() - started };
  } catch (err) {
    return { what, status: (err as Error).name === 'TimeoutError' ? 'hang' : 'error', code: (err as Error & { cause?: { code?: string } }).cause?.code, ms: Date.now() - started };
  }
}

const fromBooking = (a: Attempt): Answer => ({ what: 'booking', status: a.status, code: a.code, retryAfter: a.retryAfter, ms: a.ms });
const tallyAnswers = (answers: Answer[]) => {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const key = `${a.what} ${a.status}${a.code && a.status !== 200 && a.status !== 201 ? ` ${a.code}` : ''}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
};

/**
 * A slow database: a proxy between the built core-api and MariaDB holds every reply for 500 ms,
 * with a pool of 2 connections (so the bounded pool queue, 50 per connection, overflows). 150
 * requests at once (the day view, a staff list, bookings) must all be answered in bounded
 * time, by 503 TIMEOUT (the 15 s request timeout) or 503 SERVICE_UNAVAILABLE (queue full), or
 * a success: never a hang, never a 500. When the delay stops the service recovers by itself
 * (no pool left exhausted) and 50 concurrent requests succeed.
 */
describe('fault: slow database (built core-api behind a delaying proxy, bounded pool queue)', () => {
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let proxy: SlowProxy;
  let core: CoreApi;
  let salon: Salon;
  let slots: Slot[];
  // What core-api publishes from here on, and since when: integrity's record of the events.
  let tap: EventTap;
  let since: Date;

  beforeAll(async () => {
    vhost = await createTestVhost();
    proxy = new SlowProxy(testDb.host, testDb.port);
    await proxy.start();
    core = await startCoreApi({ dbPort: proxy.port, rabbitUrl: vhost.url, name: 'core-api-slow', env: { DB_POOL_SIZE: String(POOL), REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) } });
    salon = await demoSalon(core.baseUrl, 20);
    slots = await freeSlots(core.baseUrl, salon, { fromDays: 60, days: 14, max: 200 });
    tap = await captureEvents(vhost.url, '#');
    since = await databaseNow(core.database);
  });

  afterAll(async () => {
    await tap?.close();
    await core?.close();
    await proxy?.stop();
    await vhost?.dispose();
  });

  it('answers 503 in bounded time while the database is slow, never hangs, and recovers when it is fast again', async () => {
    const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const dayView = `${API}/${salon.businessId}/branch/${salon.branchId}/appointment?from_date=${day}&to_date=${day}`;
    const staffList = `${API}/${salon.businessId}/branch/${salon.branchId}/staff`;
    const warm = await Promise.all(Array.from({ length: 10 }, () => get(core.baseUrl, dayView, 'day-view')));
    expect(warm.every((a) => a.status === 200)).toBe(true);

    proxy.setDelay(DELAY_MS);
    const slowStarted = Date.now();
    const requests: Promise<Answer>[] = [];
    for (let i = 0; i < 150; i++) {
      if (i % 3 === 2) requests.push(book(core.baseUrl, salon, slots[i], salon.clientIds[i % salon.clientIds.length], i, { timeoutMs: 60_000 }).then(fromBooking));
      else requests.push(get(core.baseUrl, i % 3 ? staffList : dayView, i % 3 ? 'staff-list' : 'day-view'));
    }
    const healthDuringSlow = get(core.baseUrl, '/health', 'health');
    const answers = await Promise.all(requests);
    const slowWave = Date.now() - slowStarted;
    const health = await healthDuringSlow;

    proxy.setDelay(0);
    const fastAgain = Date.now();
    await waitFor(async () => (await get(core.baseUrl, dayView, 'probe', 5_000)).status === 200, { timeoutMs: 60_000, intervalMs: 250, what: 'a day view to succeed after the delay stopped' });
    const recoveredMs = Date.now() - fastAgain;
    const burst = await Promise.all(Array.from({ length: 50 }, (_, i) => get(core.baseUrl, i % 2 ? staffList : dayView, i % 2 ? 'staff-list' : 'day-view', 15_000)));
    // Let requests that timed out at the HTTP edge finish their work in the background before counting bookings.
    await new Promise((r) => setTimeout(r, 2_000));

    const slowest = Math.max(...answers.map((a) => a.ms));
    const bad = answers.filter((a) => !(a.status === 200 || a.status === 201 || a.status === 409 || (a.status === 503 && (a.code === 'TIMEOUT' || a.code === 'SERVICE_UNAVAILABLE'))));
    const withoutRetryAfter = answers.filter((a) => a.status === 503 && !a.retryAfter);
    const bookings = answers.filter((a) => a.what === 'booking');
    const state = await integrity(core.database, tap, since);
    // Made during the test (the demo seed's own appointments are older than `since`).
    const [{ n: committed }] = await queryDatabase<{ n: number }>(core.database, "SELECT COUNT(*) AS n FROM appointment WHERE activation_state = 'ACTIVE' AND created_at >= ?", [since]);

    report('slow database (500 ms per reply, pool of 2, 150 requests at once)', {
      'answers while slow': tallyAnswers(answers),
      'slowest answer': `${slowest} ms (request timeout ${REQUEST_TIMEOUT_MS} ms; a client gives up at 60 s)`,
      'answered after the request timeout + 5 s': answers.filter((a) => a.ms > REQUEST_TIMEOUT_MS + 5_000).length,
      'the whole slow wave took': `${slowWave} ms`,
      '/health while slow': `${health.status} in ${health.ms} ms`,
      'replies held by the proxy': proxy.delayedChunks,
      'not 2xx/409/503 TIMEOUT|SERVICE_UNAVAILABLE (500s, hangs, resets)': bad.length,
      '503 without Retry-After': withoutRetryAfter.length,
      'recovered after the delay stopped': `${recoveredMs} ms`,
      '50 concurrent requests after recovery': tallyAnswers(burst),
      'bookings answered 201 / committed in the database': `${bookings.filter((b) => b.status === 201).length} / ${committed}`,
      'bookings answered 503 that committed later (the work outlived the timeout)': Math.max(0, Number(committed) - bookings.filter((b) => b.status === 201).length),
      'database': state,
    });

    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    expect(bad.map((a) => `${a.what} ${a.status} ${a.code ?? ''}`)).toEqual([]);
    expect(withoutRetryAfter).toHaveLength(0);
    expect(slowest).toBeLessThan(REQUEST_TIMEOUT_MS + 5_000);
    expect(burst.filter((a) => a.status !== 200).map((a) => `${a.what} ${a.status} ${a.code ?? ''}`)).toEqual([]);
    expect(state).toMatchObject({ bookingsWithoutAppointments: 0, appointmentsWithoutBooking: 0, appointmentsWithoutBookedEvent: 0, activeBookingsWithoutConfirmedEvent: 0, doubleBookedSlots: 0 });
  });
});
