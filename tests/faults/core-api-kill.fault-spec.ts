import { captureEvents, createTestVhost, queryDatabase, waitFor } from '@chairbook/testing';
import { CoreApi, startCoreApi } from './support/built-services';
import { integrity, outboxIds, report } from './support/checks';
import { Attempt, bookingBurst, demoSalon, freeSlots, Salon, Slot, tally } from './support/salon';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * core-api killed with SIGKILL while bookings are being made (and their events relayed), then
 * started again: every committed booking's events reach the broker. Counted on the run's own
 * vhost by a queue bound to every routing key: the distinct event ids received against the
 * outbox rows written since the capture began (no loss; a row published but not yet marked
 * when the process died goes out again, so duplicates on the wire are allowed and reported,
 * consumers drop them by event id). Nothing half-written either.
 */
describe('fault: core-api SIGKILLed mid-burst and restarted (built core-api, real RabbitMQ)', () => {
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let core: CoreApi;
  let salon: Salon;
  let slots: Slot[];

  beforeAll(async () => {
    vhost = await createTestVhost();
    core = await startCoreApi({ rabbitUrl: vhost.url, name: 'core-api-kill' });
    salon = await demoSalon(core.baseUrl);
    slots = await freeSlots(core.baseUrl, salon, { fromDays: 60, days: 56, max: 3_000 });
  });

  afterAll(async () => {
    await core?.close();
    await vhost?.dispose();
  });

  it('loses no committed booking event across the kill (duplicates on the wire reported)', async () => {
    const capture = await captureEvents(vhost.url, '#');
    try {
      // Only events written from now on: earlier ones (the demo seed) went out before the capture queue existed.
      const [{ seq }] = await queryDatabase<{ seq: number | null }>(core.database, 'SELECT MAX(seq) AS seq FROM outbox_event');
      const fromSeq = Number(seq ?? 0);
      await waitFor(async () => (await queryDatabase<{ n: number }>(core.database, 'SELECT COUNT(*) AS n FROM outbox_event WHERE published_at IS NULL'))[0].n === 0, {
        timeoutMs: 30_000,
        what: 'the seed events to be relayed',
      });

      let killed = false;
      const first = bookingBurst(core.baseUrl, salon, slots.slice(0, 1_500), { concurrency: 12, stop: () => killed, timeoutMs: 20_000 });
      await sleep(2_500);
      const pidBefore = core.process.pid;
      const exit = await core.process.kill('SIGKILL');
      killed = true;
      const killedAt = Date.now();
      const before = await first;
      const restartMs = await core.process.start();
      let stop = false;
      const second = bookingBurst(core.baseUrl, salon, slots.slice(1_500), { concurrency: 12, stop: () => stop, timeoutMs: 20_000 });
      await sleep(3_000);
      stop = true;
      const after = await second;

      await waitFor(async () => (await queryDatabase<{ n: number }>(core.database, 'SELECT COUNT(*) AS n FROM outbox_event WHERE published_at IS NULL'))[0].n === 0, {
        timeoutMs: 60_000,
        what: 'the outbox to be relayed after the restart',
      });
      const outbox = (await outboxIds(core.database)).slice(0); // ordered by seq
      const rows = await queryDatabase<{ event_id: string; seq: number }>(core.database, 'SELECT event_id, seq FROM outbox_event WHERE seq > ?', [fromSeq]);
      const expected = new Set(rows.map((r) => r.event_id));
      await waitFor(() => [...expected].every((id) => capture.received.some((m) => m.body['id'] === id)), { timeoutMs: 30_000, intervalMs: 200, what: 'every outbox event on the broker' }).catch(() => undefined);
      await sleep(500);
      const received = capture.received.map((m) => String(m.body['id']));
      const distinct = new Set(received);
      const lost = [...expected].filter((id) => !distinct.has(id));
      const unknown = [...distinct].filter((id) => !expected.has(id));
      const attempts: Attempt[] = [...before, ...after];
      const cut = before.filter((a) => a.status === 'error' || a.status === 'hang');
      const booked = await queryDatabase<{ staff_id: string; start_at: Date; client_id: string }>(core.database, "SELECT staff_id, start_at, client_id FROM appointment WHERE activation_state = 'ACTIVE'");
      const bookedKeys = new Set(booked.map((b) => `${b.staff_id} ${b.start_at.toISOString()} ${b.client_id}`));
      const keyOf = (a: Attempt) => `${a.slot.staffId} ${new Date(a.slot.startTime).toISOString()} ${a.clientId}`;
      const lostBookings = attempts.filter((a) => a.status === 201 && !bookedKeys.has(keyOf(a)));
      const cutButCommitted = cut.filter((a) => bookedKeys.has(keyOf(a)));
      const state = await integrity(core.database);

      report('core-api SIGKILL mid-burst', {
        'killed': `pid ${pidBefore} (${exit.signal}), ${before.length} requests before; restarted in ${(restartMs / 1000).toFixed(1)} s as pid ${core.process.pid}`,
        'answers before the kill': tally(before),
        'answers after the restart': tally(after),
        'requests cut by the kill (no answer)': cut.length,
        '  of which committed anyway': cutButCommitted.length,
        'outbox events written during the test': expected.size,
        'messages on the broker': received.length,
        'distinct event ids on the broker': distinct.size,
        'duplicates on the wire (allowed, dropped by consumers)': received.length - distinct.size,
        'lost (in the outbox, never on the broker)': lost.length,
        'on the broker but not in the outbox': unknown.length,
        '201 answers without their booking': lostBookings.length,
        'database': state,
        'outbox rows in total': outbox.length,
      });
      expect(exit.signal).toBe('SIGKILL');
      expect(killedAt).toBeGreaterThan(0);
      expect(before.filter((a) => a.status === 201).length).toBeGreaterThan(0);
      expect(after.filter((a) => a.status === 201).length).toBeGreaterThan(0);
      expect(attempts.filter((a) => typeof a.status === 'number' && a.status !== 201).map((a) => `${a.status} ${a.code}`)).toEqual([]);
      expect(lost).toEqual([]);
      expect(unknown).toEqual([]);
      expect(lostBookings).toEqual([]);
      expect(state).toMatchObject({ unpublished: 0, bookingsWithoutAppointments: 0, appointmentsWithoutBooking: 0, appointmentsWithoutBookedEvent: 0, activeBookingsWithoutConfirmedEvent: 0, doubleBookedSlots: 0 });
    } finally {
      await capture.close();
    }
  });
});
