import { createEvent, EventType } from '@chairbook/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { iso } from '../../shared/http/versioning';
import { toMajor } from '../../shared/money';
import { localParts } from '../../shared/time';
import { shownState } from './appointment-state';

export interface AppointmentRow {
  id: string;
  business_id: string;
  branch_id: string;
  booking_id: string | null;
  client_id: string;
  staff_id: string;
  service_id: string;
  room_id: string | null;
  machine_id: string | null;
  start_at: Date;
  end_at: Date;
  busy_end_at: Date;
  gap_start_at: Date | null;
  gap_end_at: Date | null;
  state: 'BOOKED' | 'CHECKED_IN' | 'STARTED' | 'COMPLETED' | 'NO_SHOW';
  activation_state: 'ACTIVE' | 'RESERVED' | 'CANCELED';
  hold_expires_at: Date | null;
  confirmed: number;
  staff_request: number;
  price_minor: number;
  source: 'API' | 'ONLINE';
  notes: string | null;
  canceled_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  // joined
  service_name: string;
  staff_first_name: string;
  staff_last_name: string;
  client_first_name: string;
  client_last_name: string;
  client_mobile: string | null;
  client_email: string | null;
  client_sms_reminder_consent: number;
  client_email_reminder_consent: number;
  time_zone: string;
  currency: string;
}

export const APPOINTMENT_SELECT = `
  SELECT a.*, sv.name AS service_name, st.first_name AS staff_first_name, st.last_name AS staff_last_name,
         c.first_name AS client_first_name, c.last_name AS client_last_name, c.mobile AS client_mobile, c.email AS client_email,
         c.sms_reminder_consent AS client_sms_reminder_consent, c.email_reminder_consent AS client_email_reminder_consent,
         b.time_zone, b.currency
    FROM appointment a
    JOIN service sv ON sv.id = a.service_id
    JOIN staff st ON st.id = a.staff_id
    JOIN client c ON c.id = a.client_id
    JOIN branch b ON b.id = a.branch_id`;

/** A RESERVED hold past its expiry reads as CANCELED, whether or not the janitor got to it yet. */
export function effectiveActivation(row: Pick<AppointmentRow, 'activation_state' | 'hold_expires_at'>, now = Date.now()): AppointmentRow['activation_state'] {
  if (row.activation_state === 'RESERVED' && row.hold_expires_at && row.hold_expires_at.getTime() <= now) return 'CANCELED';
  return row.activation_state;
}

/** `state` as shown: CANCELLED when the appointment is cancelled (or its hold lapsed), else the stored state. */
export function appointmentState(row: Pick<AppointmentRow, 'state' | 'activation_state' | 'hold_expires_at'>, now = Date.now()) {
  return shownState({ state: row.state, activation: effectiveActivation(row, now) });
}

/**
 * The appointment as Phorest shows it: a local date and local times, plus our UTC instants.
 * `state` is CANCELLED for a cancelled appointment, beside `activationState` CANCELED; `note`
 * (the reference's name) and `notes` carry the same text.
 */
export function appointmentView(row: AppointmentRow) {
  const start = localParts(row.time_zone, row.start_at);
  const end = localParts(row.time_zone, row.end_at);
  return {
    appointmentId: row.id,
    version: row.version,
    branchId: row.branch_id,
    bookingId: row.booking_id,
    appointmentDate: start.date,
    startTime: start.time,
    endTime: end.time,
    startDateTime: iso(row.start_at),
    endDateTime: iso(row.end_at),
    timeZone: row.time_zone,
    clientId: row.client_id,
    staffId: row.staff_id,
    serviceId: row.service_id,
    serviceName: row.service_name,
    staffName: `${row.staff_first_name} ${row.staff_last_name}`.trim(),
    roomId: row.room_id,
    machineId: row.machine_id,
    price: toMajor(row.price_minor, row.currency),
    state: appointmentState(row),
    activationState: effectiveActivation(row),
    holdExpiresAt: row.activation_state === 'RESERVED' ? iso(row.hold_expires_at) : null,
    confirmed: !!row.confirmed,
    staffRequest: !!row.staff_request,
    source: row.source,
    note: row.notes,
    notes: row.notes,
    deleted: false,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export type AppointmentView = ReturnType<typeof appointmentView>;

export function clientContactOf(row: AppointmentRow) {
  return {
    firstName: row.client_first_name,
    lastName: row.client_last_name,
    mobile: row.client_mobile,
    email: row.client_email,
    smsReminderConsent: !!row.client_sms_reminder_consent,
    emailReminderConsent: !!row.client_email_reminder_consent,
  };
}

export function appointmentSnapshot(row: AppointmentRow) {
  return {
    appointmentId: row.id,
    bookingId: row.booking_id,
    clientId: row.client_id,
    staffId: row.staff_id,
    serviceId: row.service_id,
    serviceName: row.service_name,
    staffName: `${row.staff_first_name} ${row.staff_last_name}`.trim(),
    startTime: row.start_at.toISOString(),
    endTime: row.end_at.toISOString(),
    state: appointmentState(row),
    activationState: effectiveActivation(row),
    source: row.source,
  };
}

type AppointmentEventType = Extract<EventType, `appointment.${string}`>;

/** Loads appointments with the names and contact details their views and events carry. */
@Injectable()
export class AppointmentReader {
  constructor(private readonly dataSource: DataSource) {}

  async byIds(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<AppointmentRow[]> {
    if (!ids.length) return [];
    const rows: AppointmentRow[] = await manager.query(`${APPOINTMENT_SELECT} WHERE a.id IN (?) ORDER BY a.start_at, a.id`, [ids]);
    return rows;
  }

  async byBooking(bookingId: string, manager: EntityManager = this.dataSource.manager): Promise<AppointmentRow[]> {
    return manager.query(`${APPOINTMENT_SELECT} WHERE a.booking_id = ? ORDER BY a.start_at, a.id`, [bookingId]);
  }

  event(type: AppointmentEventType, row: AppointmentRow, extra: Record<string, unknown> = {}) {
    return createEvent(type, { ...appointmentSnapshot(row), client: clientContactOf(row), ...extra } as never, { businessId: row.business_id, branchId: row.branch_id });
  }

  bookingEvent(type: 'booking.confirmed' | 'booking.cancelled', rows: AppointmentRow[], bookingId: string) {
    const first = rows[0];
    return createEvent(
      type,
      { bookingId, clientId: first.client_id, source: first.source, client: clientContactOf(first), appointments: rows.map(appointmentSnapshot) },
      { businessId: first.business_id, branchId: first.branch_id },
    );
  }
}
