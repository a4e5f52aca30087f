/**
 * The appointment's life, as a pure state machine: every change of state goes through
 * `transition`, which refuses illegal moves (answered 409 ILLEGAL_STATE_TRANSITION).
 *
 *   BOOKED ──check-in──▶ CHECKED_IN ──start──▶ STARTED ──complete──▶ COMPLETED
 *     │  └────────────start────────────────────▶│
 *     ├──no-show──▶ NO_SHOW   (from BOOKED or CHECKED_IN)
 *     └──cancel──▶ activationState CANCELED   (from BOOKED or CHECKED_IN, while not already cancelled)
 *
 * COMPLETED, NO_SHOW and cancelled appointments are final. A RESERVED hold can be cancelled
 * but not checked in or started until its booking is activated.
 *
 * Stored, a cancelled appointment keeps the state it had reached (BOOKED or CHECKED_IN, which
 * reports and the machine use) beside activation CANCELED. Shown (views and events), its state
 * reads CANCELLED: see `shownState`.
 */
export type AppointmentState = 'BOOKED' | 'CHECKED_IN' | 'STARTED' | 'COMPLETED' | 'NO_SHOW';
export type ActivationState = 'ACTIVE' | 'RESERVED' | 'CANCELED';
/** The state as the API and events show it: a cancelled appointment (or a lapsed hold) is CANCELLED. */
export type ShownState = AppointmentState | 'CANCELLED';
export type AppointmentAction = 'confirm' | 'check-in' | 'start' | 'complete' | 'no-show' | 'cancel';

export interface Status {
  state: AppointmentState;
  activation: ActivationState;
}

export type TransitionResult = { ok: true; next: Status; event: TransitionEvent | null } | { ok: false; reason: string };

export type TransitionEvent =
  | 'appointment.confirmed'
  | 'appointment.checked_in'
  | 'appointment.started'
  | 'appointment.completed'
  | 'appointment.no_show'
  | 'appointment.cancelled';

const FROM: Record<Exclude<AppointmentAction, 'confirm' | 'cancel'>, { from: AppointmentState[]; to: AppointmentState; event: TransitionEvent }> = {
  'check-in': { from: ['BOOKED'], to: 'CHECKED_IN', event: 'appointment.checked_in' },
  start: { from: ['BOOKED', 'CHECKED_IN'], to: 'STARTED', event: 'appointment.started' },
  complete: { from: ['STARTED', 'CHECKED_IN'], to: 'COMPLETED', event: 'appointment.completed' },
  'no-show': { from: ['BOOKED', 'CHECKED_IN'], to: 'NO_SHOW', event: 'appointment.no_show' },
};

export function transition(current: Status, action: AppointmentAction): TransitionResult {
  if (current.activation === 'CANCELED') return { ok: false, reason: 'The appointment is cancelled' };
  if (action === 'cancel') {
    if (current.state !== 'BOOKED' && current.state !== 'CHECKED_IN') return { ok: false, reason: `A ${current.state.toLowerCase().replace('_', ' ')} appointment cannot be cancelled` };
    return { ok: true, next: { state: current.state, activation: 'CANCELED' }, event: 'appointment.cancelled' };
  }
  if (action === 'confirm') {
    if (current.state !== 'BOOKED' && current.state !== 'CHECKED_IN') return { ok: false, reason: 'Only upcoming appointments can be confirmed' };
    return { ok: true, next: current, event: 'appointment.confirmed' };
  }
  if (current.activation === 'RESERVED') return { ok: false, reason: 'The booking is only held (RESERVED); activate it first' };
  const rule = FROM[action];
  if (!rule.from.includes(current.state)) {
    return { ok: false, reason: `Cannot ${action} an appointment that is ${current.state.toLowerCase().replace('_', ' ')}` };
  }
  return { ok: true, next: { state: rule.to, activation: current.activation }, event: rule.event };
}

/** A change of time, staff or service is allowed only before the appointment begins. */
export function canReschedule(current: Status): boolean {
  return current.activation !== 'CANCELED' && (current.state === 'BOOKED' || current.state === 'CHECKED_IN');
}

/** `state` as shown: CANCELLED once the appointment is cancelled (activation CANCELED), else the stored state. */
export function shownState(current: Status): ShownState {
  return current.activation === 'CANCELED' ? 'CANCELLED' : current.state;
}
