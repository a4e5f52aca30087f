import { queryDatabase } from '@chairbook/testing';

export interface Integrity {
  bookings: number;
  appointments: number;
  outboxEvents: number;
  unpublished: number;
  bookingsWithoutAppointments: number;
  appointmentsWithoutBooking: number;
  appointmentsWithoutBookedEvent: number;
  activeBookingsWithoutConfirmedEvent: number;
  doubleBookedSlots: number;
}

/**
 * What core-api's database holds after a fault: every booking with its appointments and its
 * outbox events (written in the same transaction), no appointment without its booking, no
 * stylist booked twice at one time.
 */
export async function integrity(database: string): Promise<Integrity> {
  const bookings = await queryDatabase<{ id: string; status: string }>(database, 'SELECT id, status FROM booking');
  const appointments = await queryDatabase<{ id: string; booking_id: string | null }>(database, 'SELECT id, booking_id FROM appointment');
  const outbox = await queryDatabase<{ type: string; payload: string; published_at: Date | null }>(database, 'SELECT type, payload, published_at FROM outbox_event');
  const bookingIds = new Set(bookings.map((b) => b.id));
  const withAppointments = new Set(appointments.map((a) => a.booking_id));
  const booked = new Set<string>();
  const confirmed = new Set<string>();
  for (const row of outbox) {
    const data = (JSON.parse(row.payload) as { data?: { appointmentId?: string; bookingId?: string } }).data ?? {};
    if (row.type === 'appointment.booked' && data.appointmentId) booked.add(data.appointmentId);
    if (row.type === 'booking.confirmed' && data.bookingId) confirmed.add(data.bookingId);
  }
  const [doubled] = await queryDatabase<{ n: number }>(
    database,
    "SELECT COUNT(*) AS n FROM (SELECT staff_id, start_at FROM appointment WHERE activation_state = 'ACTIVE' GROUP BY staff_id, start_at HAVING COUNT(*) > 1) t",
  );
  return {
    bookings: bookings.length,
    appointments: appointments.length,
    outboxEvents: outbox.length,
    unpublished: outbox.filter((o) => !o.published_at).length,
    bookingsWithoutAppointments: bookings.filter((b) => !withAppointments.has(b.id)).length,
    appointmentsWithoutBooking: appointments.filter((a) => !a.booking_id || !bookingIds.has(a.booking_id)).length,
    appointmentsWithoutBookedEvent: appointments.filter((a) => !booked.has(a.id)).length,
    activeBookingsWithoutConfirmedEvent: bookings.filter((b) => b.status === 'ACTIVE' && !confirmed.has(b.id)).length,
    doubleBookedSlots: Number(doubled.n),
  };
}

/** The outbox's event ids, and whether each was published. */
export async function outboxIds(database: string): Promise<{ id: string; type: string; published: boolean }[]> {
  const rows = await queryDatabase<{ event_id: string; type: string; published_at: Date | null }>(database, 'SELECT event_id, type, published_at FROM outbox_event ORDER BY seq');
  return rows.map((r) => ({ id: r.event_id, type: r.type, published: !!r.published_at }));
}

/** Prints a block of counts so every fault test leaves its figures in the log. */
export function report(title: string, counts: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(counts).map((k) => k.length));
  const lines = Object.entries(counts).map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  process.stdout.write(`\n${title}\n${lines.join('\n')}\n`);
}
