import { createEvents, EventAttributes } from 'ics';
import type { BookingView } from './online-booking.service';

/**
 * The booking as an iCalendar file (RFC 5545) for "add to calendar": one event per
 * appointment, in UTC (calendars show it in the reader's zone), with the salon as location and
 * the manage link, so the calendar entry itself leads back to cancel or move it.
 */
export function bookingCalendar(view: BookingView): string {
  const cancelled = view.status === 'CANCELLED';
  const salon = view.salon.name ?? 'the salon';
  const events: EventAttributes[] = view.appointments.map((a, i) => ({
    uid: `${view.reference}-${i}@chairbook`,
    start: Date.parse(a.startTime),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: Date.parse(a.endTime),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: `${a.serviceName} at ${salon}`,
    description: [`With ${a.stylistName}.`, view.manageUrl ? `Cancel or move: ${view.manageUrl}` : ''].filter(Boolean).join('\n'),
    location: [salon, ...view.salon.address].join(', '),
    url: view.manageUrl ?? undefined,
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: 'BUSY',
    sequence: Math.max(0, Math.floor(Date.now() / 1000) - 1_700_000_000),
    alarms: cancelled ? [] : [{ action: 'display', description: `${a.serviceName} at ${salon}`, trigger: { hours: 2, before: true } }],
  }));
  const { error, value } = createEvents(events, { productId: 'chairbook/booking', method: 'PUBLISH', calName: salon });
  if (error || !value) throw error ?? new Error('could not build the calendar file');
  return value;
}
