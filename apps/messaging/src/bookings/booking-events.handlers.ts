import { DomainEvent, EventData } from '@chairbook/contracts';
import type { EntityManager } from 'typeorm';
import { rememberClientFromBooking, rememberClientsFromBookings } from '../directory/client-directory.handlers';
import type { Dispatcher } from '../dispatch/dispatcher';
import { enqueueMessages, insertMessages, NewMessage } from '../dispatch/message-store';
import { BatchScope, FastPathConflict } from '../events/batch-consumer';
import { BranchContext, fallbackBranch, loadBranchContext, loadBranchContexts } from '../settings/branch-settings';
import { sqlTime } from '../database/sql-literal';
import { effectiveTemplatesFor } from '../templates/template-store';
import {
  AppointmentRow,
  bookingKeyOf,
  ClientRow,
  composeBookingMessages,
  LinkSettings,
  loadAppointments,
  loadBookings,
  loadClient,
  loadClients,
} from './booking-messages';
import { dropReminders, planReminders, planRemindersBulk } from './reminder-plan';

type Snapshot = EventData<'appointment.cancelled'>;
type BookingSnapshot = EventData<'booking.confirmed'>;
type AppointmentEvent = DomainEvent<'appointment.rescheduled' | 'appointment.cancelled' | 'appointment.checked_in' | 'appointment.started' | 'appointment.completed' | 'appointment.no_show'>;

/** What each appointment event says about the appointment's state, whatever `state` reads. */
const STATE_BY_EVENT: Record<string, string | undefined> = {
  'appointment.cancelled': 'CANCELLED',
  'appointment.checked_in': 'CHECKED_IN',
  'appointment.started': 'STARTED',
  'appointment.completed': 'COMPLETED',
  'appointment.no_show': 'NO_SHOW',
};

/**
 * Booking and appointment events → confirmations, reminders, notices. Each handler runs in the
 * inbox transaction of its event, so what it queues commits (or not) with the event's receipt;
 * the messages' idempotency keys make a second path to the same message a no-op.
 */
export function bookingEventHandlers(links: LinkSettings) {
  return {
    'booking.confirmed': (event: DomainEvent<'booking.confirmed'>, m: EntityManager) => confirmBookings(m, [event], links),

    'booking.cancelled': async (event: DomainEvent<'booking.cancelled'>, m: EntityManager) => {
      const d = event.data;
      if (!event.branchId) return;
      for (const a of d.appointments) await upsertAppointment(m, event, d.bookingId, a, 'CANCELLED');
      await cancelBooking(m, event.businessId, event.branchId, d.bookingId, d.clientId, links);
    },

    'appointment.rescheduled': async (event: DomainEvent<'appointment.rescheduled'>, m: EntityManager) => {
      const d = event.data;
      if (!event.branchId) return;
      const key = bookingKeyOf(d.bookingId, d.appointmentId);
      const known = await bookingStatus(m, key);
      await rememberClientFromBooking(m, event.businessId, d.clientId, d.client);
      await upsertBooking(m, event, key, d.clientId);
      const applied = await upsertAppointment(m, event, key, d, d.state);
      const branch = await loadBranchContext(m, event.branchId, event.businessId);
      if (applied && known === 'ACTIVE' && branch.settings.rescheduleNotices && d.startTime !== d.previousStartTime) {
        const appointments = await loadAppointments(m, key);
        const moved = appointments.filter((a) => a.appointment_id === d.appointmentId);
        await enqueueMessages(
          m,
          await composeBookingMessages(m, {
            kind: 'RESCHEDULED',
            branch,
            bookingKey: key,
            client: await loadClient(m, d.clientId),
            appointments: moved,
            allAppointments: appointments,
            keyParts: [d.appointmentId, d.startTime],
            appointmentId: d.appointmentId,
            links,
          }),
        );
      }
      await planReminders(m, key, branch);
    },

    'appointment.cancelled': (event: DomainEvent<'appointment.cancelled'>, m: EntityManager) => appointmentChanged(event, m, links),
    'appointment.checked_in': (event: DomainEvent<'appointment.checked_in'>, m: EntityManager) => appointmentChanged(event, m, links),
    'appointment.started': (event: DomainEvent<'appointment.started'>, m: EntityManager) => appointmentChanged(event, m, links),
    'appointment.no_show': (event: DomainEvent<'appointment.no_show'>, m: EntityManager) => appointmentChanged(event, m, links),
    /** Completed: reminders dropped here; the visit itself is recorded by the client directory. */
    'appointment.completed': (event: DomainEvent<'appointment.completed'>, m: EntityManager) => appointmentChanged(event, m, links),
  };
}

/**
 * booking.confirmed for a run of events in a fixed number of statements (the batching consumer
 * hands over up to a few hundred at once; a single event is a run of one). The events of a
 * run must name distinct bookings and clients (the consumer splits runs where they repeat), so
 * the result is the same as handling them one after the other: the contact is remembered, the
 * booking and its appointments recorded, the confirmation queued when the booking is active
 * and the branch sends them, and the reminders planned.
 *
 * Every statement is a round trip inside the batch's transaction, so what the inserts just
 * wrote is not read back when the database says they all went in as given (no duplicate, no
 * warning): then the rows are exactly the events' data. Branch settings and templates are read
 * beside the transaction, at the same time as its first writes.
 */
export async function confirmBookings(
  m: EntityManager,
  all: DomainEvent<'booking.confirmed'>[],
  links: LinkSettings,
  direct?: { dispatcher: Dispatcher; scope: BatchScope },
): Promise<void> {
  const events = all.filter((e) => e.branchId);
  if (!events.length) return;
  const branchIds = events.map((e) => e.branchId!);
  const beside = m.connection.manager;
  const context = Promise.all([loadBranchContexts(beside, branchIds), effectiveTemplatesFor(beside, branchIds)]);
  context.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
  const now = new Date();
  const nowSql = sqlTime(now);
  const contacts = events.map((e) => ({ businessId: e.businessId, clientId: e.data.clientId, contact: e.data.client }));
  const clientsInserted = insertedAsGiven(await rememberClientsFromBookings(m, contacts), new Set(contacts.map((c) => c.clientId)).size);
  const keys = events.map((e) => e.data.bookingId);
  const bookingsInserted = insertedAsGiven(
    await m.query(`INSERT IGNORE INTO booking (booking_key, business_id, branch_id, client_id, status, created_at, updated_at) VALUES ?`, [
      events.map((e) => [e.data.bookingId, e.businessId, e.branchId, e.data.clientId, 'ACTIVE', nowSql, nowSql]),
    ]),
    new Set(keys).size,
  );
  const snapshots = events.flatMap((e) => e.data.appointments.map((a) => ({ event: e, key: e.data.bookingId, a, state: a.state })));
  const appointmentsInserted = insertedAsGiven(await upsertAppointments(m, snapshots), snapshots.length);
  // New bookings (none existed, so none had appointments or reminders) with new appointment rows: known without reading.
  const { status, appointments } =
    bookingsInserted && appointmentsInserted ? { status: new Map(keys.map((k) => [k, 'ACTIVE'])), appointments: appointmentRows(snapshots) } : await loadBookings(m, keys);
  const clients = clientsInserted ? new Map(contacts.map((c) => [c.clientId, clientRow(c)])) : await loadClients(m, events.map((e) => e.data.clientId));
  const [branches, templates] = await context;
  const branchOf = (e: DomainEvent<'booking.confirmed'>) => branches.get(e.branchId!) ?? fallbackBranch(e.branchId!, e.businessId);
  const messages: NewMessage[] = [];
  const claimable: { message: NewMessage; branch: BranchContext }[] = [];
  for (const e of events) {
    const d = e.data;
    const branch = branchOf(e);
    if (status.get(d.bookingId) !== 'ACTIVE' || !branch.settings.confirmations) continue;
    const booked = appointments.get(d.bookingId) ?? [];
    const firstStart = d.appointments.map((a) => a.startTime).sort()[0];
    for (const message of await composeBookingMessages(m, {
      kind: 'CONFIRMATION',
      branch,
      bookingKey: d.bookingId,
      client: clients.get(d.clientId),
      appointments: booked,
      allAppointments: booked,
      keyParts: [firstStart],
      links,
      templates: templates.get(branch.branchId),
    })) {
      messages.push(message);
      claimable.push({ message, branch });
    }
  }
  await planRemindersBulk(
    m,
    events.filter((e) => status.get(e.data.bookingId) === 'ACTIVE').map((e) => ({ bookingKey: e.data.bookingId, branch: branchOf(e) })),
    now,
    // Reminders are only ever planned for a booking whose row exists: new rows have none yet.
    { appointments, status, noReminders: bookingsInserted },
  );
  if (!direct?.scope.fastPath || !messages.length) {
    await enqueueMessages(m, messages);
    return;
  }
  // The fast path: the SMS are claimed as they are queued (last, so the branch's sms_usage row
  // is locked only briefly) and sent once the batch commits. It needs every message inserted
  // as given: a confirmation already queued by an earlier event redoes the batch without it.
  await direct.dispatcher.claimOnInsert(m, claimable, now);
  const inserted = await insertMessages(m, messages);
  if (!insertedAsGiven(inserted, messages.length)) throw new FastPathConflict('a confirmation of the batch was queued before');
  const claimed = await direct.dispatcher.claimedOnInsert(m, messages, inserted);
  if (claimed.length) direct.scope.afterCommit(() => direct.dispatcher.handOff(claimed, now));
}

/**
 * True when a multi-row INSERT put every one of `rows` rows in as given: no duplicate key (so
 * no row was skipped or updated instead) and no warning (nothing truncated or converted).
 */
function insertedAsGiven(result: { affectedRows?: number; info?: string; warningStatus?: number }, rows: number): boolean {
  const info = /Duplicates:\s*(\d+)\s+Warnings:\s*(\d+)/.exec(result.info ?? '');
  if (info) return Number(info[1]) === 0 && Number(info[2]) === 0 && result.affectedRows === rows;
  return rows === 1 && result.affectedRows === 1 && !result.warningStatus;
}

/** The booking_appointment rows just written, by booking, ordered as loadBookings orders them. */
function appointmentRows(snapshots: { event: DomainEvent; key: string; a: BookingSnapshot['appointments'][number] | Omit<Snapshot, 'client'>; state: string }[]): Map<string, AppointmentRow[]> {
  const byKey = new Map<string, AppointmentRow[]>();
  for (const { key, a, state } of snapshots) {
    const row: AppointmentRow = {
      appointment_id: a.appointmentId,
      booking_key: key,
      staff_id: a.staffId,
      staff_name: a.staffName.slice(0, 200),
      service_name: a.serviceName.slice(0, 200),
      start_at: new Date(a.startTime),
      end_at: new Date(a.endTime),
      state,
    };
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  for (const rows of byKey.values()) rows.sort((x, y) => x.start_at.getTime() - y.start_at.getTime() || (x.appointment_id < y.appointment_id ? -1 : x.appointment_id > y.appointment_id ? 1 : 0));
  return byKey;
}

/** The client_contact row rememberClientsFromBookings just inserted. */
function clientRow(c: { clientId: string; contact: DomainEvent<'booking.confirmed'>['data']['client'] }): ClientRow {
  return {
    client_id: c.clientId,
    first_name: c.contact.firstName.slice(0, 100),
    last_name: c.contact.lastName.slice(0, 100),
    mobile: c.contact.mobile,
    email: c.contact.email?.toLowerCase() ?? null,
    sms_reminder_consent: c.contact.smsReminderConsent ? 1 : 0,
    email_reminder_consent: c.contact.emailReminderConsent ? 1 : 0,
    sms_marketing_consent: 0,
    email_marketing_consent: 0,
    archived: 0,
  };
}

async function appointmentChanged(event: AppointmentEvent, m: EntityManager, links: LinkSettings): Promise<void> {
  const d = event.data;
  if (!event.branchId) return;
  const key = bookingKeyOf(d.bookingId, d.appointmentId);
  const state = STATE_BY_EVENT[event.type] ?? d.state;
  await upsertBooking(m, event, key, d.clientId);
  await upsertAppointment(m, event, key, d, state);
  if (event.type !== 'appointment.cancelled') {
    // Checked in, started, finished or no-show: whatever reminders were pending are moot.
    await dropReminders(m, key, state);
    return;
  }
  const appointments = await loadAppointments(m, key);
  if (appointments.every((a) => a.state === 'CANCELLED')) {
    await cancelBooking(m, event.businessId, event.branchId, key, d.clientId, links);
  } else {
    await planReminders(m, key, await loadBranchContext(m, event.branchId, event.businessId));
  }
}

/**
 * The whole booking is off: drop its reminders and tell the client once. booking.cancelled and
 * the last appointment.cancelled both lead here; the notice's key has no time in it, so the
 * second path finds it already queued.
 */
async function cancelBooking(m: EntityManager, businessId: string, branchId: string, key: string, clientId: string, links: LinkSettings): Promise<void> {
  const known = await bookingStatus(m, key);
  await dropReminders(m, key, 'CANCELLED');
  if (known !== 'ACTIVE') {
    await m.query(
      `INSERT INTO booking (booking_key, business_id, branch_id, client_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'CANCELLED', NOW(3), NOW(3))
       ON DUPLICATE KEY UPDATE status = 'CANCELLED', updated_at = NOW(3)`,
      [key, businessId, branchId, clientId],
    );
    return; // never confirmed to the client (or already cancelled): nothing to announce
  }
  await m.query("UPDATE booking SET status = 'CANCELLED', updated_at = NOW(3) WHERE booking_key = ?", [key]);
  const branch: BranchContext = await loadBranchContext(m, branchId, businessId);
  if (!branch.settings.cancellations) return;
  const appointments: AppointmentRow[] = await loadAppointments(m, key);
  await enqueueMessages(
    m,
    await composeBookingMessages(m, { kind: 'CANCELLATION', branch, bookingKey: key, client: await loadClient(m, clientId), appointments, allAppointments: appointments, keyParts: [], links }),
  );
}

async function bookingStatus(m: EntityManager, key: string): Promise<string | undefined> {
  const [row]: { status: string }[] = await m.query('SELECT status FROM booking WHERE booking_key = ? FOR UPDATE', [key]);
  return row?.status;
}

async function upsertBooking(m: EntityManager, event: DomainEvent, key: string, clientId: string): Promise<void> {
  await m.query(
    `INSERT IGNORE INTO booking (booking_key, business_id, branch_id, client_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'ACTIVE', NOW(3), NOW(3))`,
    [key, event.businessId, event.branchId, clientId],
  );
}

const APPOINTMENT_FIELDS = ['booking_key', 'staff_id', 'staff_name', 'service_name', 'start_at', 'end_at', 'state'];

/** `upsertAppointment` for many snapshots in one statement (rows apply in order). */
async function upsertAppointments(
  m: EntityManager,
  rows: { event: DomainEvent; key: string; a: Omit<Snapshot, 'client'> | BookingSnapshot['appointments'][number]; state: string }[],
): Promise<{ affectedRows?: number; info?: string; warningStatus?: number }> {
  if (!rows.length) return { affectedRows: 0 };
  return m.query(
    `INSERT INTO booking_appointment (appointment_id, booking_key, business_id, staff_id, staff_name, service_name, start_at, end_at, state, as_of) VALUES ?
     ON DUPLICATE KEY UPDATE ${APPOINTMENT_FIELDS.map((f) => `${f} = IF(VALUES(as_of) > as_of, VALUES(${f}), ${f})`).join(', ')}, as_of = GREATEST(as_of, VALUES(as_of))`,
    [
      rows.map(({ event, key, a, state }) => [
        a.appointmentId,
        key,
        event.businessId,
        a.staffId,
        a.staffName.slice(0, 200),
        a.serviceName.slice(0, 200),
        new Date(a.startTime),
        new Date(a.endTime),
        state,
        new Date(event.occurredAt),
      ]),
    ],
  );
}

/** Applies an appointment snapshot when it is newer than what we hold; true when it was applied. */
async function upsertAppointment(m: EntityManager, event: DomainEvent, key: string, a: Omit<Snapshot, 'client'> | BookingSnapshot['appointments'][number], state: string): Promise<boolean> {
  const asOf = new Date(event.occurredAt);
  const result: { affectedRows: number } = await m.query(
    `INSERT INTO booking_appointment (appointment_id, booking_key, business_id, staff_id, staff_name, service_name, start_at, end_at, state, as_of)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE ${APPOINTMENT_FIELDS.map((f) => `${f} = IF(VALUES(as_of) > as_of, VALUES(${f}), ${f})`).join(', ')}, as_of = GREATEST(as_of, VALUES(as_of))`,
    [a.appointmentId, key, event.businessId, a.staffId, a.staffName.slice(0, 200), a.serviceName.slice(0, 200), new Date(a.startTime), new Date(a.endTime), state, asOf],
  );
  // 1 = inserted, 2 = changed, 0 = an older event (nothing changed).
  return result.affectedRows > 0;
}
