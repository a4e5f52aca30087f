import { createEvent, EventContractError, isEvent, parseEvent } from './domain-event';

const appointment = {
  appointmentId: 'a1',
  bookingId: 'b1',
  clientId: 'c1',
  staffId: 's1',
  serviceId: 'sv1',
  serviceName: 'Cut',
  staffName: 'Ann',
  startTime: '2026-03-29T09:00:00.000Z',
  endTime: '2026-03-29T09:45:00.000Z',
  state: 'BOOKED',
  activationState: 'ACTIVE',
  source: 'API' as const,
  client: { firstName: 'Siobhán', lastName: 'Murphy', mobile: '+353877654321', email: null, smsReminderConsent: true, emailReminderConsent: false },
};

describe('domain events', () => {
  it('creates an event with id, version and timestamp, and it round-trips through JSON', () => {
    const event = createEvent('appointment.booked', appointment, { businessId: 'biz', branchId: 'br' });
    expect(event.version).toBe(1);
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    const parsed = parseEvent(JSON.parse(JSON.stringify(event)));
    expect(parsed).toEqual(event);
    expect(isEvent(parsed, 'appointment.booked') && parsed.data.staffName).toBe('Ann');
  });

  it('refuses to create an event whose data breaks the contract', () => {
    expect(() =>
      createEvent('business.created', { businessId: 'b' } as never, { businessId: 'b' }),
    ).toThrow(/invalid data for business.created: name/);
  });

  it.each([
    ['not an object', 'hello', /malformed event envelope/],
    ['missing id', { type: 'business.created' }, /malformed event envelope: id/],
    [
      'unknown type',
      { id: '6f1c9a52-7d7c-4c43-9a8e-0e5d6f7e8a90', type: 'nobody.knows', version: 1, occurredAt: '2026-01-01T00:00:00Z', businessId: 'b', branchId: null, data: {} },
      /unknown event type nobody.knows/,
    ],
    [
      'future version',
      { id: '6f1c9a52-7d7c-4c43-9a8e-0e5d6f7e8a90', type: 'business.created', version: 2, occurredAt: '2026-01-01T00:00:00Z', businessId: 'b', branchId: null, data: { businessId: 'b', name: 'x' } },
      /unsupported version 2/,
    ],
    [
      'bad data',
      { id: '6f1c9a52-7d7c-4c43-9a8e-0e5d6f7e8a90', type: 'business.created', version: 1, occurredAt: '2026-01-01T00:00:00Z', businessId: 'b', branchId: null, data: { businessId: 'b' } },
      /invalid data for business.created/,
    ],
  ])('rejects a received message with %s', (_label, raw, message) => {
    expect(() => parseEvent(raw)).toThrow(EventContractError);
    expect(() => parseEvent(raw)).toThrow(message);
  });
});
