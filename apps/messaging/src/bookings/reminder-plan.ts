import type { EntityManager } from 'typeorm';
import type { BranchContext } from '../settings/branch-settings';
import { AppointmentRow, loadAppointments, NO_REMINDER_STATES } from './booking-messages';

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
  const appointments = await loadAppointments(m, bookingKey);
  const [booking]: { status: string }[] = await m.query('SELECT status FROM booking WHERE booking_key = ?', [bookingKey]);
  const wanted = booking?.status === 'ACTIVE' && branch.settings.reminders ? desiredReminders(appointments, branch.settings.reminderOffsetsMinutes, now) : [];
  const pending: { id: string; offset_minutes: number; due_at: Date }[] = await m.query(
    "SELECT id, offset_minutes, due_at FROM reminder WHERE booking_key = ? AND status = 'PENDING' FOR UPDATE",
    [bookingKey],
  );
  const same = (r: { offset_minutes: number; due_at: Date }, w: { offset: number; due: Date }) => r.offset_minutes === w.offset && new Date(r.due_at).getTime() === w.due.getTime();
  const stale = pending.filter((r) => !wanted.some((w) => same(r, w))).map((r) => r.id);
  if (stale.length) {
    await m.query("UPDATE reminder SET status = 'CANCELLED', reason = ?, updated_at = NOW(3) WHERE id IN (?)", [wanted.length ? 'MOVED' : 'NOT_NEEDED', stale]);
  }
  const missing = wanted.filter((w) => !pending.some((r) => same(r, w)));
  if (missing.length) {
    // A reminder cancelled earlier for the same time comes back (moved away and back again).
    await m.query(
      `INSERT INTO reminder (booking_key, business_id, branch_id, offset_minutes, due_at, status, created_at, updated_at) VALUES ?
       ON DUPLICATE KEY UPDATE status = IF(status = 'CANCELLED', 'PENDING', status), reason = IF(status = 'PENDING', NULL, reason), updated_at = NOW(3)`,
      [missing.map((w) => [bookingKey, branch.businessId, branch.branchId, w.offset, w.due, 'PENDING', now, now])],
    );
  }
}

export async function dropReminders(m: EntityManager, bookingKey: string, reason: string): Promise<void> {
  await m.query("UPDATE reminder SET status = 'CANCELLED', reason = ?, updated_at = NOW(3) WHERE booking_key = ? AND status = 'PENDING'", [reason, bookingKey]);
}
