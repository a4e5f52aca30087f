import type { EntityManager } from 'typeorm';
import { sqlTime } from '../database/sql-literal';
import type { BranchContext } from '../settings/branch-settings';
import { AppointmentRow, loadBookings, NO_REMINDER_STATES } from './booking-messages';

/** The reminders a booking should have now: one per offset before its first live appointment, still in the future. */
export function desiredReminders(appointments: AppointmentRow[], offsetsMinutes: number[], now: Date): { offset: number; due: Date }[] {
  const live = appointments.filter((a) => !NO_REMINDER_STATES.has(a.state));
  if (!live.length) return [];
  const first = Math.min(...live.map((a) => new Date(a.start_at).getTime()));
  return [...new Set(offsetsMinutes)]
    .map((offset) => ({ offset, due: new Date(first - offset * 60_000) }))
    // A reminder whose time has passed (booked inside the window) is simply not sent.
    .filter((r) => r.due.getTime() > now.getTime());
}

/**
 * Brings a booking's pending reminders in line with its appointments: new times are added,
 * reminders for times that no longer apply (rescheduled, cancelled, started) are cancelled.
 */
export async function planReminders(m: EntityManager, bookingKey: string, branch: BranchContext, now = new Date()): Promise<void> {
  await planRemindersBulk(m, [{ bookingKey, branch }], now);
}

/**
 * `planReminders` for many bookings at once, in a fixed number of statements (a batch of
 * events commits in one transaction). `known` may hand over the bookings' appointments and
 * statuses when the caller has just loaded them.
 */
export async function planRemindersBulk(
  m: EntityManager,
  bookings: { bookingKey: string; branch: BranchContext }[],
  now = new Date(),
  known?: { appointments: Map<string, AppointmentRow[]>; status: Map<string, string>; noReminders?: boolean },
): Promise<void> {
  if (!bookings.length) return;
  const keys = [...new Set(bookings.map((b) => b.bookingKey))];
  const { appointments, status } = known ?? (await loadBookings(m, keys));
  // `noReminders`: the caller created these bookings in this transaction, so none has any yet.
  const pendingRows: { id: string; booking_key: string; offset_minutes: number; due_at: Date }[] = known?.noReminders
    ? []
    : await m.query("SELECT id, booking_key, offset_minutes, due_at FROM reminder WHERE booking_key IN (?) AND status = 'PENDING' ORDER BY id FOR UPDATE", [keys]);
  const pendingByKey = new Map<string, typeof pendingRows>();
  for (const r of pendingRows) pendingByKey.set(r.booking_key, [...(pendingByKey.get(r.booking_key) ?? []), r]);
  const same = (r: { offset_minutes: number; due_at: Date }, w: { offset: number; due: Date }) => r.offset_minutes === w.offset && new Date(r.due_at).getTime() === w.due.getTime();
  const moved: string[] = [];
  const notNeeded: string[] = [];
  const missing: unknown[][] = [];
  const nowSql = sqlTime(now);
  const planned = new Set<string>();
  for (const { bookingKey, branch } of bookings) {
    if (planned.has(bookingKey)) continue;
    planned.add(bookingKey);
    const wanted = status.get(bookingKey) === 'ACTIVE' && branch.settings.reminders ? desiredReminders(appointments.get(bookingKey) ?? [], branch.settings.reminderOffsetsMinutes, now) : [];
    const pending = pendingByKey.get(bookingKey) ?? [];
    for (const r of pending) if (!wanted.some((w) => same(r, w))) (wanted.length ? moved : notNeeded).push(r.id);
    for (const w of wanted) if (!pending.some((r) => same(r, w))) missing.push([bookingKey, branch.businessId, branch.branchId, w.offset, w.due, 'PENDING', nowSql, nowSql]);
  }
  if (moved.length) await m.query("UPDATE reminder SET status = 'CANCELLED', reason = 'MOVED', updated_at = NOW(3) WHERE id IN (?)", [moved]);
  if (notNeeded.length) await m.query("UPDATE reminder SET status = 'CANCELLED', reason = 'NOT_NEEDED', updated_at = NOW(3) WHERE id IN (?)", [notNeeded]);
  if (missing.length) {
    // A reminder cancelled earlier for the same time comes back (moved away and back again).
    await m.query(
      `INSERT INTO reminder (booking_key, business_id, branch_id, offset_minutes, due_at, status, created_at, updated_at) VALUES ?
       ON DUPLICATE KEY UPDATE status = IF(status = 'CANCELLED', 'PENDING', status), reason = IF(status = 'PENDING', NULL, reason), updated_at = NOW(3)`,
      [missing],
    );
  }
}

export async function dropReminders(m: EntityManager, bookingKey: string, reason: string): Promise<void> {
  await m.query("UPDATE reminder SET status = 'CANCELLED', reason = ?, updated_at = NOW(3) WHERE booking_key = ? AND status = 'PENDING'", [reason, bookingKey]);
}
