import { AppointmentAction, AppointmentState, canReschedule, shownState, Status, transition } from './appointment-state';

const s = (state: AppointmentState, activation: Status['activation'] = 'ACTIVE'): Status => ({ state, activation });

describe('appointment state machine', () => {
  it.each<[Status, AppointmentAction, Status, string]>([
    [s('BOOKED'), 'check-in', s('CHECKED_IN'), 'appointment.checked_in'],
    [s('BOOKED'), 'start', s('STARTED'), 'appointment.started'],
    [s('CHECKED_IN'), 'start', s('STARTED'), 'appointment.started'],
    [s('STARTED'), 'complete', s('COMPLETED'), 'appointment.completed'],
    [s('CHECKED_IN'), 'complete', s('COMPLETED'), 'appointment.completed'],
    [s('BOOKED'), 'no-show', s('NO_SHOW'), 'appointment.no_show'],
    [s('CHECKED_IN'), 'no-show', s('NO_SHOW'), 'appointment.no_show'],
    [s('BOOKED'), 'cancel', s('BOOKED', 'CANCELED'), 'appointment.cancelled'],
    [s('CHECKED_IN'), 'cancel', s('CHECKED_IN', 'CANCELED'), 'appointment.cancelled'],
    [s('BOOKED', 'RESERVED'), 'cancel', s('BOOKED', 'CANCELED'), 'appointment.cancelled'],
    [s('BOOKED'), 'confirm', s('BOOKED'), 'appointment.confirmed'],
  ])('%j --%s--> %j', (from, action, to, event) => {
    expect(transition(from, action)).toEqual({ ok: true, next: to, event });
  });

  it.each<[Status, AppointmentAction]>([
    [s('BOOKED'), 'complete'],
    [s('CHECKED_IN'), 'check-in'],
    [s('STARTED'), 'check-in'],
    [s('STARTED'), 'no-show'],
    [s('STARTED'), 'cancel'],
    [s('COMPLETED'), 'cancel'],
    [s('COMPLETED'), 'start'],
    [s('NO_SHOW'), 'check-in'],
    [s('NO_SHOW'), 'cancel'],
    [s('BOOKED', 'CANCELED'), 'check-in'],
    [s('BOOKED', 'CANCELED'), 'cancel'],
    [s('BOOKED', 'CANCELED'), 'confirm'],
    [s('BOOKED', 'RESERVED'), 'check-in'],
    [s('BOOKED', 'RESERVED'), 'start'],
    [s('COMPLETED'), 'confirm'],
  ])('refuses %j --%s-->', (from, action) => {
    const result = transition(from, action);
    expect(result.ok).toBe(false);
    expect((result as { reason: string }).reason).toMatch(/\w/);
  });

  it('allows rescheduling only before the appointment begins', () => {
    expect(canReschedule(s('BOOKED'))).toBe(true);
    expect(canReschedule(s('CHECKED_IN'))).toBe(true);
    expect(canReschedule(s('STARTED'))).toBe(false);
    expect(canReschedule(s('COMPLETED'))).toBe(false);
    expect(canReschedule(s('BOOKED', 'CANCELED'))).toBe(false);
  });

  it('shows a cancelled appointment as CANCELLED whatever stage it reached, and the stored state otherwise', () => {
    expect(shownState(s('BOOKED', 'CANCELED'))).toBe('CANCELLED');
    expect(shownState(s('CHECKED_IN', 'CANCELED'))).toBe('CANCELLED');
    expect(shownState(s('BOOKED', 'RESERVED'))).toBe('BOOKED');
    expect(shownState(s('NO_SHOW'))).toBe('NO_SHOW');
    // Cancelling is still a change of activation only, and nothing moves a cancelled appointment.
    const cancelled = transition(s('CHECKED_IN'), 'cancel');
    expect(cancelled).toMatchObject({ ok: true, next: { state: 'CHECKED_IN', activation: 'CANCELED' }, event: 'appointment.cancelled' });
    for (const action of ['confirm', 'check-in', 'start', 'complete', 'no-show', 'cancel'] as AppointmentAction[]) {
      expect(transition(s('CHECKED_IN', 'CANCELED'), action).ok).toBe(false);
    }
  });
});
