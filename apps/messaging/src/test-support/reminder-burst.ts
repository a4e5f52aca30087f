import { createEvent, DOMAIN_EVENTS_EXCHANGE } from '@chairbook/contracts';
import { waitFor } from '@chairbook/testing';
import amqplib from 'amqplib';
import { appointment, contact, newId } from './events';

/** The burst fault specs' steps: publish the bookings, wait for them, bring the reminders due. */
type Sql = <T = Record<string, unknown>>(query: string, params?: unknown[]) => Promise<T[]>;

/** `count` bookings (one SMS-consenting client each, `mobile(i)`) confirmed at `start`, with publisher confirms. */
export async function publishBookingBurst(
  rabbitUrl: string,
  salon: { businessId: string; branchId: string },
  start: Date,
  count: number,
  mobile: (i: number) => string,
): Promise<void> {
  const connection = await amqplib.connect(rabbitUrl);
  const channel = await connection.createConfirmChannel();
  for (let i = 0; i < count; i++) {
    const bookingId = newId();
    const clientId = newId();
    const e = createEvent(
      'booking.confirmed',
      { bookingId, clientId, source: 'API', client: contact({ mobile: mobile(i), email: null }), appointments: [appointment(start, { bookingId, clientId })] },
      { businessId: salon.businessId, branchId: salon.branchId },
    );
    channel.publish(DOMAIN_EVENTS_EXCHANGE, e.type, Buffer.from(JSON.stringify(e)), { persistent: true });
    if (i % 500 === 499) await channel.waitForConfirms();
  }
  await channel.waitForConfirms();
  await connection.close();
}

/** Until the inbox holds every booking of the burst. */
export async function waitForBookingsHandled(sql: Sql, count: number): Promise<void> {
  await waitFor(async () => Number((await sql<{ n: number }>("SELECT COUNT(*) AS n FROM inbox_event WHERE type = 'booking.confirmed'"))[0].n) >= count, {
    timeoutMs: 240_000,
    intervalMs: 250,
    what: `all ${count} bookings handled`,
  });
}

/**
 * The clock moves on to two seconds before the 24 h reminders of appointments at `start` (the
 * whole schedule shifts back by the same amount): all of them fall due at once. Answers when
 * they are due and how many were pending.
 */
export async function bringRemindersDue(sql: Sql, start: Date): Promise<{ due: number; pending: number }> {
  const [{ pending }] = await sql<{ pending: number }>("SELECT COUNT(*) AS pending FROM reminder WHERE status = 'PENDING'");
  const shiftMs = start.getTime() - 24 * 3600_000 - Date.now() - 2_000;
  await sql('UPDATE booking_appointment SET start_at = start_at - INTERVAL ? MICROSECOND, end_at = end_at - INTERVAL ? MICROSECOND', [shiftMs * 1000, shiftMs * 1000]);
  await sql("UPDATE reminder SET due_at = due_at - INTERVAL ? MICROSECOND WHERE status = 'PENDING'", [shiftMs * 1000]);
  return { due: Date.now() + 2_000, pending: Number(pending) };
}
