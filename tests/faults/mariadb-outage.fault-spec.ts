import { captureEvents, createTestVhost, queryDatabase, TcpProxy, testDb, waitFor } from '@chairbook/testing';
import { CoreApi, startCoreApi } from './support/built-services';
import { databaseNow, EventTap, integrity, report } from './support/checks';
import { Attempt, book, bookingBurst, demoSalon, freeSlots, Salon, Slot, tally } from './support/salon';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const OUTAGE_MS = 4_000;

/**
 * MariaDB "restarted" under booking load: libs/testing's TcpProxy sits between the built core-api
 * and MariaDB and is cut for a few seconds while 16 clients book distinct free slots. Requests
 * during the outage must fail cleanly (503 with Retry-After, in bounded time, never a hang or a
 * 500), nothing may be half-written (every booking with its appointment and its outbox events,
 * no appointment without a booking, no stylist booked twice), and core-api must recover by
 * itself (no restart). Then every failed request is retried once with its Idempotency-Key:
 * every 201 (first answer or retry) must be a booking in the database for that client and slot
 * (nothing lost), and no slot may end booked twice (no duplicates). Every retry must end in the
 * request's original outcome, a 201 with its booking: a 503 whose transaction had in fact
 * committed (its acknowledgement was cut) gets that booking back, not its own booking refused
 * as STAFF_DOUBLE_BOOKED, and no retry may meet IDEMPOTENCY_REQUEST_IN_PROGRESS (a claim the
 * outage left behind): the key's claim and answer commit or roll back with the booking.
 */
describe('fault: MariaDB cut under booking load (built core-api behind a TCP proxy)', () => {
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let proxy: TcpProxy;
  let core: CoreApi;
  let salon: Salon;
  let slots: Slot[];
  // What core-api publishes from here on, and since when: integrity's record of the events.
  let tap: EventTap;
  let since: Date;

  beforeAll(async () => {
    vhost = await createTestVhost();
    proxy = new TcpProxy(testDb.host, testDb.port);
    await proxy.start();
    core = await startCoreApi({ dbPort: proxy.port, rabbitUrl: vhost.url, name: 'core-api-outage' });
    salon = await demoSalon(core.baseUrl);
    slots = await freeSlots(core.baseUrl, salon, { fromDays: 60, days: 56, max: 3_000 });
    tap = await captureEvents(vhost.url, '#');
    since = await databaseNow(core.database);
  });

  afterAll(async () => {
    await tap?.close();
    await core?.close();
    await proxy?.stop();
    await vhost?.dispose();
  });

  it('fails requests cleanly during the outage, writes nothing half, and recovers without a restart', async () => {
    expect(slots.length).toBeGreaterThan(500);
    const pid = core.process.pid;
    const marks = { start: Date.now(), cut: 0, restored: 0, firstSuccessAfter: 0 };
    let stopAt = Number.POSITIVE_INFINITY;
    const health: { phase: string; status: number | string }[] = [];
    const burst = bookingBurst(core.baseUrl, salon, slots, {
      concurrency: 16,
      stop: () => Date.now() > stopAt,
      onAttempt: (a) => {
        if (marks.restored && !marks.firstSuccessAfter && a.status === 201 && a.startedAt >= marks.restored) marks.firstSuccessAfter = Date.now();
      },
    });
    await sleep(3_000);
    await proxy.cut();
    marks.cut = Date.now();
    await sleep(OUTAGE_MS / 2);
    health.push({ phase: 'outage', status: await fetch(`${core.baseUrl}/health`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.status, (e: Error) => e.message) });
    await sleep(OUTAGE_MS / 2);
    await proxy.restore();
    marks.restored = Date.now();
    await waitFor(() => marks.firstSuccessAfter, { timeoutMs: 30_000, intervalMs: 100, what: 'a booking to succeed after MariaDB came back' });
    stopAt = Date.now() + 3_000;
    const attempts = await burst;
    health.push({ phase: 'after', status: await fetch(`${core.baseUrl}/health`).then((r) => r.status) });

    const during = attempts.filter((a) => a.startedAt + a.ms >= marks.cut && a.startedAt <= marks.restored);
    const failed = attempts.filter((a) => a.status !== 201);
    const fiveHundreds = attempts.filter((a) => typeof a.status === 'number' && a.status >= 500);
    const withoutRetryAfter = fiveHundreds.filter((a) => !a.retryAfter);
    const unclean = attempts.filter((a) => !(a.status === 201 || a.status === 503));
    const slowest = Math.max(...attempts.map((a) => a.ms));
    const state = await integrity(core.database, tap, since);

    // Which failed requests had committed anyway (their acknowledgement was cut), before any retry.
    const committedBefore = new Map(
      (
        await queryDatabase<{ staff_id: string; start_at: Date; client_id: string; booking_id: string }>(
          core.database,
          "SELECT staff_id, start_at, client_id, booking_id FROM appointment WHERE activation_state = 'ACTIVE'",
        )
      ).map((b) => [`${b.staff_id} ${b.start_at.toISOString()} ${b.client_id}`, b.booking_id]),
    );
    const committedKey = (a: Attempt) => `${a.slot.staffId} ${new Date(a.slot.startTime).toISOString()} ${a.clientId}`;
    const committedDespite503 = failed.filter((a) => committedBefore.has(committedKey(a)));
    // Retry what failed, with the same Idempotency-Key, now that the database is back.
    const retries: Attempt[] = [];
    for (const a of failed) retries.push(await book(core.baseUrl, salon, a.slot, a.clientId, a.index, { key: a.idempotencyKey }));
    const tried = attempts.map((a) => a.slot);
    const booked = await queryDatabase<{ staff_id: string; start_at: Date; client_id: string; booking_id: string; n: number }>(
      core.database,
      "SELECT staff_id, start_at, MIN(client_id) AS client_id, MIN(booking_id) AS booking_id, COUNT(*) AS n FROM appointment WHERE activation_state = 'ACTIVE' GROUP BY staff_id, start_at",
    );
    const bySlot = new Map(booked.map((b) => [`${b.staff_id} ${b.start_at.toISOString()}`, b]));
    const slotOf = (a: Attempt) => bySlot.get(`${a.slot.staffId} ${new Date(a.slot.startTime).toISOString()}`);
    // A 201 (first answer or retry) whose booking is not in the database for that client: lost.
    const lost = [...attempts, ...retries].filter((a) => a.status === 201 && slotOf(a)?.client_id !== a.clientId);
    const stillInProgress = retries.filter((r) => r.code === 'IDEMPOTENCY_REQUEST_IN_PROGRESS');
    const duplicated = tried.filter((s) => Number(bySlot.get(`${s.staffId} ${new Date(s.startTime).toISOString()}`)?.n ?? 0) > 1);
    // A 503 whose transaction had committed (its acknowledgement was cut): the retry finds its own booking.
    const ownBookingRefused = retries.filter((r) => r.status === 409 && bySlot.get(`${r.slot.staffId} ${new Date(r.slot.startTime).toISOString()}`)?.client_id === r.clientId);
    // The original outcome: a 201 naming the booking the database holds for that client and slot
    // (for a first attempt that had committed, that very booking, replayed).
    const notOriginal = retries.filter(
      (r) =>
        r.status !== 201 ||
        slotOf(r)?.client_id !== r.clientId ||
        slotOf(r)?.booking_id !== r.bookingId ||
        (committedBefore.has(committedKey(r)) && committedBefore.get(committedKey(r)) !== r.bookingId),
    );
    const after = await integrity(core.database, tap, since);

    report('MariaDB cut under booking load', {
      'outage (proxy cut)': `${((marks.restored - marks.cut) / 1000).toFixed(1)} s`,
      'requests sent': attempts.length,
      'answers (all)': tally(attempts),
      'requests overlapping the outage': during.length,
      'answers during the outage': tally(during),
      '5xx without Retry-After': withoutRetryAfter.length,
      'other than 201/503 (hangs, resets, 500s)': unclean.length,
      'slowest answer': `${slowest} ms`,
      'recovered (first 201 after restore)': `${((marks.firstSuccessAfter - marks.restored) / 1000).toFixed(1)} s, same core-api process: ${core.process.pid === pid && core.process.alive()}`,
      '/health': health,
      'database after the burst': state,
      'retries with the same Idempotency-Key': tally(retries),
      'retries refused as STAFF_DOUBLE_BOOKED by their own committed booking': ownBookingRefused.length,
      'failed first answers whose booking had committed anyway (acknowledgement cut)': committedDespite503.length,
      'retries still IDEMPOTENCY_REQUEST_IN_PROGRESS (claim left by the outage)': stillInProgress.length,
      'retries not ending in their original outcome (201 with their booking)': notOriginal.length,
      '201 answers without their booking (lost)': lost.length,
      'slots booked twice (duplicates)': duplicated.length,
      'database after retries': after,
    });

    expect(during.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    expect(unclean.map((a) => `${a.status} ${a.code ?? a.error ?? ''}`)).toEqual([]);
    expect(withoutRetryAfter).toHaveLength(0);
    expect(slowest).toBeLessThan(20_000);
    expect(core.process.alive() && core.process.pid === pid).toBe(true);
    expect(health[0].status).toBe(503);
    expect(health[1].status).toBe(200);
    for (const s of [state, after]) {
      expect(s).toMatchObject({ bookingsWithoutAppointments: 0, appointmentsWithoutBooking: 0, appointmentsWithoutBookedEvent: 0, activeBookingsWithoutConfirmedEvent: 0, doubleBookedSlots: 0 });
    }
    expect(duplicated).toHaveLength(0);
    expect(lost).toHaveLength(0);
    expect(ownBookingRefused.map((r) => `${r.status} ${r.code ?? ''}`)).toEqual([]);
    expect(stillInProgress.map((r) => `${r.status} ${r.code ?? ''}`)).toEqual([]);
    expect(notOriginal.map((r) => `${r.status} ${r.code ?? r.error ?? ''} ${r.bookingId ?? ''}`)).toEqual([]);
  });
});
