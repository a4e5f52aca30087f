import { createEvent, EventData } from '@chairbook/contracts';
import { randomBytes } from 'node:crypto';

export const newId = () => randomBytes(16).toString('base64url');

/** A salon (business + branch events) for messaging tests. */
export function salonEvents(name = 'Foundation Hair', timeZone = 'Europe/Dublin') {
  const businessId = newId();
  const branchId = newId();
  return {
    businessId,
    branchId,
    events: [
      createEvent('business.created', { businessId, name }, { businessId }),
      createEvent('branch.created', { branchId, name: 'Drury St', slug: 'foundation-hair', timeZone, country: 'IE', currency: 'EUR' }, { businessId, branchId }),
    ],
  };
}

export const contact = (over: Partial<EventData<'booking.confirmed'>['client']> = {}) => ({
  firstName: 'Siobhán',
  lastName: 'Murphy',
  mobile: '+353871234567',
  email: 'siobhan@example.com',
  smsReminderConsent: true,
  emailReminderConsent: true,
  ...over,
});

export function appointment(start: Date, over: Partial<EventData<'appointment.cancelled'>> = {}) {
  const appointmentId = newId();
  return {
    appointmentId,
    bookingId: null as string | null,
    clientId: 'client',
    staffId: 'staff0000000000000000a',
    serviceId: 'service000000000000000',
    serviceName: 'Cut and Blow-dry',
    staffName: 'Ann',
    startTime: start.toISOString(),
    endTime: new Date(start.getTime() + 45 * 60_000).toISOString(),
    state: 'BOOKED',
    activationState: 'ACTIVE',
    source: 'ONLINE' as const,
    ...over,
  };
}
