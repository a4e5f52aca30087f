import { queryDatabase } from '@chairbook/testing';
import { CoreApiHarness, publishedEvents, startCoreApi } from '../../test-support/core-api-harness';
import { bookingBody, createSalon, TestSalon } from '../../test-support/salon';

// A winter Tuesday in Dublin: local time = UTC, so the times below read the same both ways.
const DAY = '2027-02-02';
const at = (hhmm: string) => `${DAY}T${hhmm}:00.000Z`;

describe('availability and booking (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;
  let availability: (selection: object[], extra?: object) => Promise<{ status: number; body: any }>;
  const starts = (body: any) => body.data.map((s: { startTime: string }) => s.startTime.slice(11, 16));

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createSalon(api);
    availability = (selection, extra = {}) =>
      salon.owner.post(`${salon.owner.branch}/appointments/availability`, { startTime: at('00:00'), endTime: `2027-02-03T00:00:00Z`, clientServiceSelections: selection, ...extra });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('offers every 15 minutes from 09:00 to the last start that fits the service and its buffer', async () => {
    const res = await availability([{ serviceId: salon.services.cut }]);
    expect(res.status).toBe(200);
    const times = starts(res.body);
    expect(times[0]).toBe('09:00');
    expect(times.at(-1)).toBe('16:00');
    expect(times).toHaveLength(29);
    // "Anyone": each time offers one stylist (bookable as it stands), the other free ones as alternatives.
    expect(res.body.data[0].clientSchedules[0].serviceSchedules).toHaveLength(1);
    const offered = [res.body.data[0], ...res.body.data[0].alternatives].map((o: { clientSchedules: { serviceSchedules: { staffId: string }[] }[] }) => o.clientSchedules[0].serviceSchedules[0].staffId);
    expect(offered.sort()).toEqual([salon.staff.aoife, salon.staff.conor].sort());
    expect(res.body.data[0].clientSchedules[0].serviceSchedules[0]).toMatchObject({ serviceId: salon.services.cut, startTime: at('09:00'), endTime: at('09:45'), price: 55 });
    expect(res.body.availableSlots[0]).toMatchObject({ startTime: at('09:00'), endTime: at('09:45') });
  });

  it('books a slot availability offered, then refuses the same time with STAFF_DOUBLE_BOOKED', async () => {
    const booked = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.siobhan, [[salon.services.cut, salon.staff.aoife, at('10:00')]]));
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({
      bookingStatus: 'ACTIVE',
      clientId: salon.clients.siobhan,
      clientAppointmentSchedules: [{ clientId: salon.clients.siobhan, serviceSchedules: [{ serviceId: salon.services.cut, staffId: salon.staff.aoife, startTime: at('10:00'), endTime: at('10:45'), price: 55 }] }],
    });
    expect(booked.body.clientAppointmentSchedules[0].serviceSchedules[0].appointmentId).toMatch(/^[\w-]{22}$/);

    const again = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.maeve, [[salon.services.cut, salon.staff.aoife, at('10:30')]]));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'STAFF_DOUBLE_BOOKED', detail: 'STAFF_DOUBLE_BOOKED', errorCode: 'STAFF_DOUBLE_BOOKED' });
    expect(again.body.fields[0].field).toBe('clientAppointmentSchedules[0].serviceSchedules[0]');

    const clientBusy = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.siobhan, [[salon.services.cut, salon.staff.conor, at('10:15')]]));
    expect(clientBusy.status).toBe(409);
    expect(clientBusy.body.code).toBe('CLIENT_ALREADY_BOOKED_THIS_TIME');
  });

  it('removes the booked time (and its buffer) from availability, keeping the adjacent slots', async () => {
    const res = await availability([{ serviceId: salon.services.cut, staffId: salon.staff.aoife }]);
    const times = starts(res.body);
    expect(times).toContain('09:00'); // ends 09:45, buffer to 10:00: adjacent is fine
    expect(times).not.toContain('09:15');
    expect(times).not.toContain('10:45'); // 10:00 cut's buffer runs to 11:00
    expect(times).toContain('11:00');
    const adjacent = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.maeve, [[salon.services.cut, salon.staff.aoife, at('11:00')]]));
    expect(adjacent.status).toBe(201);
  });

  it('lets a short service into a colour’s processing gap, and nothing longer', async () => {
    const colour = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.siobhan, [[salon.services.colour, salon.staff.aoife, at('13:00')]]));
    expect(colour.status).toBe(201);
    // Gap 13:30-14:00. A 30-minute blow dry fits exactly; a cut (45 + 15) does not; nor does 13:45.
    const fits = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.maeve, [[salon.services.blowDry, salon.staff.aoife, at('13:30')]]));
    expect(fits.status).toBe(201);
    const tooLong = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.maeve, [[salon.services.cut, salon.staff.aoife, at('13:30')]]));
    expect(tooLong.status).toBe(409);
    // Siobhán is still in the chair during her colour's gap.
    const ownChair = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.siobhan, [[salon.services.blowDry, salon.staff.conor, at('13:30')]]));
    expect(ownChair.body.code).toBe('CLIENT_ALREADY_BOOKED_THIS_TIME');
  });

  it.each([
    ['outside working hours', () => bookingBody(salon.clients.maeve, [[salon.services.cut, salon.staff.conor, at('16:30')]]), 409, 'STAFF_NOT_WORKING'],
    ['an unqualified stylist', () => bookingBody(salon.clients.maeve, [[salon.services.colour, salon.staff.conor, at('09:00')]]), 400, 'STAFF_UNQUALIFIED'],
    ['a start without a zone', () => bookingBody(salon.clients.maeve, [[salon.services.cut, salon.staff.conor, `${DAY}T09:00:00`]]), 400, 'VALIDATION_FAILED'],
  ])('refuses %s', async (_label, body, status, code) => {
    const res = await salon.owner.post(`${salon.owner.branch}/booking`, body());
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
  });

  it('books services back to back for one client, with different stylists', async () => {
    const chain = await availability([{ clientId: salon.clients.maeve, serviceSelections: [{ serviceId: salon.services.blowDry, staffId: salon.staff.conor }, { serviceId: salon.services.cut, staffId: salon.staff.conor }] }]);
    expect(chain.status).toBe(200);
    const first = chain.body.data[0].clientSchedules[0].serviceSchedules;
    expect(first).toHaveLength(2);
    expect(first[1].startTime).toBe(first[0].endTime);
    const booked = await salon.owner.post(
      `${salon.owner.branch}/booking`,
      bookingBody(salon.clients.maeve, first.map((s: { serviceId: string; staffId: string; startTime: string }) => [s.serviceId, s.staffId, s.startTime])),
    );
    expect(booked.status).toBe(201);
    expect(booked.body.clientAppointmentSchedules[0].serviceSchedules).toHaveLength(2);
  });

  it('holds a RESERVED slot until it expires or is activated', async () => {
    const hold = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.maeve, [[salon.services.cut, salon.staff.conor, at('15:00')]], 'RESERVED'));
    expect(hold.status).toBe(201);
    expect(hold.body.bookingStatus).toBe('RESERVED');
    expect(new Date(hold.body.holdExpiresAt).getTime()).toBeGreaterThan(Date.now());
    const conorTimes = async () => starts((await availability([{ serviceId: salon.services.cut, staffId: salon.staff.conor }])).body);
    expect(await conorTimes()).not.toContain('15:00');
    // Let the hold run out.
    await queryDatabase(api.database, 'UPDATE appointment SET hold_expires_at = NOW(3) - INTERVAL 1 SECOND WHERE booking_id = ?', [hold.body.bookingId]);
    await queryDatabase(api.database, 'UPDATE booking SET hold_expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [hold.body.bookingId]);
    expect(await conorTimes()).toContain('15:00');
    const late = await salon.owner.post(`${salon.owner.branch}/booking/${hold.body.bookingId}/activate`);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('HOLD_EXPIRED');

    const hold2 = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.maeve, [[salon.services.cut, salon.staff.conor, at('15:00')]], 'RESERVED'));
    const activated = await salon.owner.post(`${salon.owner.branch}/booking/${hold2.body.bookingId}/activate`);
    expect(activated.status).toBe(200);
    expect(activated.body.bookingStatus).toBe('ACTIVE');
    const events = await publishedEvents(api, hold2.body.bookingId);
    expect(events.map((e) => e.type)).toEqual(['appointment.booked', 'booking.confirmed']);
  });

  it('cancels a booking, frees the time, and a new booking can take it', async () => {
    const booking = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.siobhan, [[salon.services.cut, salon.staff.conor, at('11:30')]]));
    expect(booking.status).toBe(201);
    const cancelled = await salon.owner.post(`${salon.owner.branch}/booking/${booking.body.bookingId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.bookingStatus).toBe('CANCELED');
    const rebook = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.siobhan, [[salon.services.cut, salon.staff.conor, at('11:30')]]));
    expect(rebook.status).toBe(201);
    const events = await publishedEvents(api, booking.body.bookingId);
    expect(events.map((e) => e.type)).toEqual(['appointment.booked', 'booking.confirmed', 'appointment.cancelled', 'booking.cancelled']);
  });

  it('books once for a retried request with the same Idempotency-Key', async () => {
    const body = bookingBody(salon.clients.siobhan, [[salon.services.blowDry, salon.staff.conor, at('16:00')]]);
    const first = await salon.owner.post(`${salon.owner.branch}/booking`, body, { 'idempotency-key': 'double-click-1' });
    const second = await salon.owner.post(`${salon.owner.branch}/booking`, body, { 'idempotency-key': 'double-click-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.bookingId).toBe(first.body.bookingId);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const rows = await queryDatabase<{ n: number }>(api.database, 'SELECT COUNT(*) AS n FROM booking WHERE client_id = ? AND created_at > NOW(3) - INTERVAL 1 MINUTE AND id = ?', [
      salon.clients.siobhan,
      first.body.bookingId,
    ]);
    expect(rows[0].n).toBe(1);
    const other = await salon.owner.post(`${salon.owner.branch}/booking`, { ...body, note: 'different' }, { 'idempotency-key': 'double-click-1' });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses another business’s staff, services and clients in the body with 404', async () => {
    const other = await createSalon(api);
    const res = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(other.clients.siobhan, [[salon.services.cut, salon.staff.conor, at('09:00')]]));
    expect(res.status).toBe(404);
    const res2 = await salon.owner.post(`${salon.owner.branch}/appointments/availability`, {
      startTime: at('00:00'),
      endTime: '2027-02-03T00:00:00Z',
      clientServiceSelections: [{ serviceId: other.services.cut }],
    });
    expect(res2.status).toBe(404);
  });
});
