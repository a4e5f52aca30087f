import { AppointmentRow } from './booking-messages';
import { desiredReminders } from './reminder-plan';

const appt = (start: string, state = 'BOOKED'): AppointmentRow => ({
  appointment_id: start,
  booking_key: 'b',
  staff_id: 's',
  staff_name: 'Ann',
  service_name: 'Cut',
  start_at: new Date(start),
  end_at: new Date(new Date(start).getTime() + 45 * 60_000),
  state,
});

describe('desiredReminders', () => {
  const now = new Date('2026-05-01T09:00:00Z');

  it('schedules one reminder per offset before the earliest appointment of the booking', () => {
    const r = desiredReminders([appt('2026-05-03T11:00:00Z'), appt('2026-05-03T10:00:00Z')], [1440, 120], now);
    expect(r.map((x) => [x.offset, x.due.toISOString()])).toEqual([
      [1440, '2026-05-02T10:00:00.000Z'],
      [120, '2026-05-03T08:00:00.000Z'],
    ]);
  });

  it('skips reminders whose time has already passed (booked inside the window)', () => {
    const r = desiredReminders([appt('2026-05-01T12:00:00Z')], [1440, 120], now);
    expect(r.map((x) => x.offset)).toEqual([120]);
  });

  it('ignores cancelled, started and finished appointments, and wants none when nothing is live', () => {
    expect(desiredReminders([appt('2026-05-03T10:00:00Z', 'CANCELLED'), appt('2026-05-03T12:00:00Z')], [120], now)[0].due.toISOString()).toBe('2026-05-03T10:00:00.000Z');
    expect(desiredReminders([appt('2026-05-03T10:00:00Z', 'STARTED')], [120], now)).toEqual([]);
    expect(desiredReminders([appt('2026-05-03T10:00:00Z', 'COMPLETED'), appt('2026-05-03T11:00:00Z', 'NO_SHOW')], [120], now)).toEqual([]);
  });
});
