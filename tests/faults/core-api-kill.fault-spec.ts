import { captureEvents, createTestVhost, queryDatabase } from '@chairbook/testing';
import { CoreApi, startCoreApi } from './support/built-services';
import { databaseNow, integrity, report } from './support/checks';
import { Attempt, bookingBurst, demoSalon, freeSlots, Salon, Slot, tally } from './support/salon';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * core-api killed with SIGKILL while bookings are being made (and their events relayed), then
 * started again: every committed booking's events reach the broker. Counted on the run's own
 * vhost by a queue bound to every routing key, against the bookings and appointments the
 * database holds (no loss: each has its event; none without: no event of a booking that did
 * not commit). A row published but not yet deleted when the process died goes out again, so
 * duplicates on the wire are allowed and reported (consumers drop them by event id). Nothing
 * half-written either.
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
      // Only bookings made from now on: the demo seed's events may have left before the capture queue existed.
      const since = await databaseNow(core.database);

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

      // Waits for the outbox to drain and the capture to settle.
      const state = await integrity(core.database, capture, since);
      const received = capture.received.map((m) => String(m.body['id']));
      const attempts: Attempt[] = [...before, ...after];
      const cut = before.filter((a) => a.status === 'error' || a.status === 'hang');
      const booked = await queryDatabase<{ staff_id: string; start_at: Date; client_id: string }>(core.database, "SELECT staff_id, start_at, client_id FROM appointment WHERE activation_state = 'ACTIVE'");
      const bookedKeys = new Set(booked.map((b) => `${b.staff_id} ${b.start_at.toISOString()} ${b.client_id}`));
      const keyOf = (a: Attempt) => `${a.slot.staffId} ${new Date(a.slot.startTime).toISOString()} ${a.clientId}`;
      const lostBookings = attempts.filter((a) => a.status === 201 && !bookedKeys.has(keyOf(a)));
      const cutButCommitted = cut.filter((a) => bookedKeys.has(keyOf(a)));

      report('core-api SIGKILL mid-burst', {
        'killed': `pid ${pidBefore} (${exit.signal}), ${before.length} requests before; restarted in ${(restartMs / 1000).toFixed(1)} s as pid ${core.process.pid}`,
        'answers before the kill': tally(before),
        'answers after the restart': tally(after),
        'requests cut by the kill (no answer)': cut.length,
        '  of which committed anyway': cutButCommitted.length,
        'messages on the broker': received.length,
        'distinct event ids on the broker': state.distinctEventsOnTheBroker,
        'duplicates on the wire (allowed, dropped by consumers)': received.length - state.distinctEventsOnTheBroker,
        'appointments without their appointment.booked event (lost)': state.appointmentsWithoutBookedEvent,
        'appointment.booked events without their appointment': state.bookedEventsWithoutAppointment,
        '201 answers without their booking': lostBookings.length,
        'database': state,
      });
      expect(exit.signal).toBe('SIGKILL');
      expect(killedAt).toBeGreaterThan(0);
      expect(before.filter((a) => a.status === 201).length).toBeGreaterThan(0);
      expect(after.filter((a) => a.status === 201).length).toBeGreaterThan(0);
      expect(attempts.filter((a) => typeof a.status === 'number' && a.status !== 201).map((a) => `${a.status} ${a.code}`)).toEqual([]);
      expect(lostBookings).toEqual([]);
      expect(state.appointments).toBeGreaterThan(0);
      expect(state).toMatchObject({
        unpublished: 0,
        bookingsWithoutAppointments: 0,
        appointmentsWithoutBooking: 0,
        appointmentsWithoutBookedEvent: 0,
        activeBookingsWithoutConfirmedEvent: 0,
        bookedEventsWithoutAppointment: 0,
        doubleBookedSlots: 0,
      });
    } finally {
      await capture.close();
    }
  });
});
