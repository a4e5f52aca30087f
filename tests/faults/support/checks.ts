import { captureEvents, queryDatabase, waitForEventsRelayed } from '@chairbook/testing';

/** Everything published on a run's vhost: a queue of the test's own bound to every event (start it before the load). */
export type EventTap = Awaited<ReturnType<typeof captureEvents>>;

export interface Integrity {
  bookings: number;
  appointments: number;
  /** Events still in the outbox (the relay deletes a row once the broker confirmed it). */
  unpublished: number;
  /** Messages the tap received (duplicates included) and how many distinct event ids. */
  eventsOnTheBroker: number;
  distinctEventsOnTheBroker: number;
  bookingsWithoutAppointments: number;
  appointmentsWithoutBooking: number;
  appointmentsWithoutBookedEvent: number;
  activeBookingsWithoutConfirmedEvent: number;
  /** appointment.booked events of appointments the database does not hold (a rolled-back change must emit nothing). */
  bookedEventsWithoutAppointment: number;
  doubleBookedSlots: number;
}

/** The database's clock now: `since` for integrity (appointments made from then on). */
export async function databaseNow(database: string): Promise<Date> {
  const [{ now }] = await queryDatabase<{ now: Date }>(database, 'SELECT UTC_TIMESTAMP(3) AS now');
  return now;
}

/**
 * What core-api's database and the broker hold after a fault: every booking made since `since`
 * with its appointments, and its events on the broker (or still in the outbox: written in the
 * same transaction, so never missing); no event for an appointment that does not exist; no
 * appointment without its booking; no stylist booked twice at one time. Waits (up to 60 s) for
 * the outbox to drain and the tap to settle first, so an event between the two is not missed.
 */
export async function integrity(database: string, tap: EventTap, since: Date): Promise<Integrity> {
  // Counted as they are when it does not drain: what is left shows as `unpublished`.
  await waitForEventsRelayed(database, tap, { timeoutMs: 60_000, intervalMs: 250 }).catch(() => undefined);
  const bookings = await queryDatabase<{ id: string; status: string }>(database, 'SELECT id, status FROM booking WHERE created_at >= ?', [since]);
  const appointments = await queryDatabase<{ id: string; booking_id: string | null }>(database, 'SELECT id, booking_id FROM appointment WHERE created_at >= ?', [since]);
  const everyAppointment = new Set((await queryDatabase<{ id: string }>(database, 'SELECT id FROM appointment')).map((a) => a.id));
  const outbox = await queryDatabase<{ type: string; payload: string }>(database, 'SELECT type, payload FROM outbox_event');
  const events = [...tap.received.map((m) => ({ type: m.routingKey, body: m.body })), ...outbox.map((o) => ({ type: o.type, body: JSON.parse(o.payload) as Record<string, unknown> }))];
  const bookingIds = new Set(bookings.map((b) => b.id));
  const withAppointments = new Set(appointments.map((a) => a.booking_id));
  const booked = new Set<string>();
  const confirmed = new Set<string>();
  for (const event of events) {
    const data = (event.body['data'] ?? {}) as { appointmentId?: string; bookingId?: string };
    if (event.type === 'appointment.booked' && data.appointmentId) booked.add(data.appointmentId);
    if (event.type === 'booking.confirmed' && data.bookingId) confirmed.add(data.bookingId);
  }
  const [doubled] = await queryDatabase<{ n: number }>(
    database,
    "SELECT COUNT(*) AS n FROM (SELECT staff_id, start_at FROM appointment WHERE activation_state = 'ACTIVE' GROUP BY staff_id, start_at HAVING COUNT(*) > 1) t",
  );
  return {
    bookings: bookings.length,
    appointments: appointments.length,
    unpublished: outbox.length,
    eventsOnTheBroker: tap.received.length,
    distinctEventsOnTheBroker: new Set(tap.received.map((m) => m.body['id'])).size,
    bookingsWithoutAppointments: bookings.filter((b) => !withAppointments.has(b.id)).length,
    // A booking's appointments may be older than `since` only if the booking is too, so the filter is the same on both sides.
    appointmentsWithoutBooking: appointments.filter((a) => !a.booking_id || !bookingIds.has(a.booking_id)).length,
    appointmentsWithoutBookedEvent: appointments.filter((a) => !booked.has(a.id)).length,
    activeBookingsWithoutConfirmedEvent: bookings.filter((b) => b.status === 'ACTIVE' && !confirmed.has(b.id)).length,
    bookedEventsWithoutAppointment: [...booked].filter((id) => !everyAppointment.has(id)).length,
    doubleBookedSlots: Number(doubled.n),
  };
}

/** Prints a block of counts so every fault test leaves its figures in the log. */
export function report(title: string, counts: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(counts).map((k) => k.length));
  const lines = Object.entries(counts).map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  process.stdout.write(`\n${title}\n${lines.join('\n')}\n`);
}
