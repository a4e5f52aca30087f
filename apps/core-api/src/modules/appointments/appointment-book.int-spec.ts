import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { bookingBody, createSalon, serviceCredential, TestSalon } from '../../test-support/salon';

describe('the appointment book: list, move, state machine (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;
  let appointmentId: string;
  const path = () => `${salon.owner.branch}/appointment/${appointmentId}`;

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createSalon(api);
    const booked = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.siobhan, [[salon.services.cut, salon.staff.aoife, '2027-02-02T10:00:00.000Z']]));
    appointmentId = booked.body.clientAppointmentSchedules[0].serviceSchedules[0].appointmentId;
    await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.maeve, [[salon.services.cut, salon.staff.conor, '2027-02-03T11:00:00.000Z']]));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists a day as _embedded.appointments with a local date and local times', async () => {
    const res = await salon.owner.get(`${salon.owner.branch}/appointment?from_date=2027-02-02&to_date=2027-02-02`);
    expect(res.status).toBe(200);
    expect(res.body.page.totalElements).toBe(1);
    expect(res.body._embedded.appointments[0]).toMatchObject({
      appointmentId,
      appointmentDate: '2027-02-02',
      startTime: '10:00:00',
      endTime: '10:45:00',
      startDateTime: '2027-02-02T10:00:00.000Z',
      state: 'BOOKED',
      activationState: 'ACTIVE',
      serviceName: 'Cut',
      staffId: salon.staff.aoife,
      clientId: salon.clients.siobhan,
      price: 55,
      version: 1,
    });
    const two = await salon.owner.get(`${salon.owner.branch}/appointment?from_date=2027-02-01&to_date=2027-02-28`);
    expect(two.body.page.totalElements).toBe(2);
    const byStaff = await salon.owner.get(`${salon.owner.branch}/appointment?from_date=2027-02-01&to_date=2027-02-28&staff_id=${salon.staff.conor}`);
    expect(byStaff.body._embedded.appointments.map((a: { staffId: string }) => a.staffId)).toEqual([salon.staff.conor]);
  });

  it('refuses more than 31 days and a list without dates', async () => {
    const long = await salon.owner.get(`${salon.owner.branch}/appointment?from_date=2027-01-01&to_date=2027-02-28`);
    expect(long.status).toBe(400);
    expect(long.body.message).toBe('Max date range allowed is 31 days');
    expect((await salon.owner.get(`${salon.owner.branch}/appointment`)).status).toBe(400);
  });

  it('syncs by updated_from', async () => {
    const res = await salon.owner.get(`${salon.owner.branch}/appointment?updated_from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`);
    expect(res.body.page.totalElements).toBe(2);
    const none = await salon.owner.get(`${salon.owner.branch}/appointment?updated_from=2999-01-01T00:00:00Z`);
    expect(none.body.page.totalElements).toBe(0);
  });

  it('moves an appointment (local date and time, as Phorest’s update does), checked like a booking', async () => {
    const current = await salon.owner.get(path());
    expect(current.headers.get('etag')).toBe(`"${appointmentId}.1"`);
    const moved = await salon.owner.put(path(), { appointmentId, version: 1, appointmentDate: '2027-02-02', startTime: '14:00:00' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ startTime: '14:00:00', endTime: '14:45:00', version: 2 });
    const stale = await salon.owner.put(path(), { version: 1, startTime: '15:00:00' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    // Onto Conor's existing 11:00 on the 3rd: refused, and nothing changes.
    const clash = await salon.owner.put(path(), { version: 2, appointmentDate: '2027-02-03', startTime: '11:15:00', staffId: salon.staff.conor });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('STAFF_DOUBLE_BOOKED');
    expect((await salon.owner.get(path())).body).toMatchObject({ appointmentDate: '2027-02-02', startTime: '14:00:00', staffId: salon.staff.aoife });
  });

  it('follows the state machine and refuses illegal moves with 409', async () => {
    expect((await salon.owner.post(`${path()}/complete`)).body.code).toBe('ILLEGAL_STATE_TRANSITION');
    expect((await salon.owner.post(`${path()}/checkin`)).body.state).toBe('CHECKED_IN');
    expect((await salon.owner.post(`${path()}/start`)).body.state).toBe('STARTED');
    const moveStarted = await salon.owner.put(path(), { version: (await salon.owner.get(path())).body.version, startTime: '16:00:00' });
    expect(moveStarted.status).toBe(409);
    expect((await salon.owner.post(`${path()}/complete`)).body.state).toBe('COMPLETED');
    const cancel = await salon.owner.post(`${path()}/cancel`);
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe('ILLEGAL_STATE_TRANSITION');
  });

  it('cancels by Phorest’s query form, and hides cancelled appointments unless fetch_canceled', async () => {
    const list = await salon.owner.get(`${salon.owner.branch}/appointment?from_date=2027-02-03&to_date=2027-02-03`);
    const id = list.body._embedded.appointments[0].appointmentId;
    const res = await salon.owner.post(`${salon.owner.branch}/appointment/cancel?appointment_id=${id}`);
    expect(res.status).toBe(200);
    expect(res.body._embedded.appointments[0].activationState).toBe('CANCELED');
    expect((await salon.owner.get(`${salon.owner.branch}/appointment?from_date=2027-02-03&to_date=2027-02-03`)).body.page.totalElements).toBe(0);
    expect((await salon.owner.get(`${salon.owner.branch}/appointment?from_date=2027-02-03&to_date=2027-02-03&fetch_canceled=true`)).body.page.totalElements).toBe(1);
  });

  it('adds a service note', async () => {
    const res = await salon.owner.post(`${path()}/note`, { serviceNote: 'Used toner 9.1' });
    expect(res.status).toBe(200);
    expect(res.body.notes).toBe('Used toner 9.1');
  });
});

describe('online booking rules through the booking site’s credential (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;
  let site: Awaited<ReturnType<typeof serviceCredential>>;
  const dayAhead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createSalon(api, { onlineBooking: { minNoticeMinutes: 24 * 60, horizonDays: 14, slotStepMinutes: 30 } });
    site = await serviceCredential(api, salon);
  });
  afterAll(async () => {
    await api?.close();
  });

  const slots = async (date: string, serviceId = salon.services.cut) => {
    const res = await site.post(`${salon.owner.branch}/appointments/availability`, {
      startTime: `${date}T00:00:00Z`,
      endTime: `${date}T23:59:59Z`,
      clientServiceSelections: [{ serviceId }],
    });
    return res;
  };

  it('applies the slot step, minimum notice and horizon for the booking site', async () => {
    const tomorrow = await slots(dayAhead(0));
    expect(tomorrow.status).toBe(200);
    expect(tomorrow.body.data).toEqual([]); // inside the 24 h notice
    const inAWeek = await slots(dayAhead(7));
    const minutes = inAWeek.body.data.map((s: { startTime: string }) => new Date(s.startTime).getUTCMinutes() % 30);
    expect(inAWeek.body.data.length).toBeGreaterThan(10);
    expect(new Set(minutes)).toEqual(new Set([0]));
    expect((await slots(dayAhead(20))).body.data).toEqual([]); // past the 14-day horizon
  });

  it('refuses off-grid and too-soon bookings with OUTSIDE_BOOKING_WINDOW, and accepts an offered slot', async () => {
    const date = dayAhead(7);
    const offered = (await slots(date)).body.data[0].clientSchedules[0].serviceSchedules[0];
    const offGrid = new Date(new Date(offered.startTime).getTime() + 10 * 60_000).toISOString();
    const refused = await site.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.siobhan, [[salon.services.cut, offered.staffId, offGrid]]));
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('OUTSIDE_BOOKING_WINDOW');
    const ok = await site.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.siobhan, [[salon.services.cut, offered.staffId, offered.startTime]], 'RESERVED'));
    expect(ok.status).toBe(201);
    expect(ok.body.source).toBe('ONLINE');
  });

  it('hides services that are not bookable online', async () => {
    const current = await salon.owner.get(`${salon.owner.branch}/service/${salon.services.blowDry}`);
    await salon.owner.put(`${salon.owner.branch}/service/${salon.services.blowDry}`, { version: current.body.version, onlineBookable: false });
    expect((await slots(dayAhead(7), salon.services.blowDry)).body.data).toEqual([]);
  });

  it('may read the catalogue and book, but not manage the salon', async () => {
    expect((await site.get(`${salon.owner.branch}/service`)).status).toBe(200);
    expect((await site.get(`${salon.owner.business}/client`)).status).toBe(403);
    expect((await site.post(`${salon.owner.branch}/staff`, { firstName: 'X' })).status).toBe(403);
    expect((await site.get(`${salon.owner.branch}/appointment?from_date=2027-01-01&to_date=2027-01-02`)).status).toBe(403);
  });
});

describe('DST days at the API (Europe/London, real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createSalon(api, { timeZone: 'Europe/London', country: 'GB' });
    // A night shift across both changes: Saturday 22:00 to Sunday 06:00.
    await salon.owner.put(`${salon.owner.branch}/staff/${salon.staff.conor}/roster`, { weekly: [{ dayOfWeek: 'SATURDAY', startTime: '22:00', endTime: '06:00' }] });
  });
  afterAll(async () => {
    await api?.close();
  });

  const localStarts = async (from: string, to: string) => {
    const res = await salon.owner.post(`${salon.owner.branch}/appointments/availability`, {
      startTime: from,
      endTime: to,
      clientServiceSelections: [{ serviceId: salon.services.blowDry, staffId: salon.staff.conor }],
    });
    return res.body.data.map((s: { startTime: string }) => new Date(s.startTime).toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' }));
  };

  it('spring forward (28 March 2027): 01:xx never offered, the shift is 7 real hours', async () => {
    const times = await localStarts('2027-03-27T00:00:00Z', '2027-03-28T12:00:00Z');
    expect(times.some((t: string) => t.startsWith('01:'))).toBe(false);
    expect(times).toContain('00:45');
    expect(times).toContain('02:00');
    // 22:00 GMT to 06:00 BST is 7 h: 28 quarter-hours, minus the last one (30 min service).
    expect(times).toHaveLength(28 - 1);
    const rota = await salon.owner.get(`${salon.owner.branch}/staff-work-time-table?from_date=2027-03-27&to_date=2027-03-27&staff_id=${salon.staff.conor}`);
    expect(rota.body).toEqual([expect.objectContaining({ date: '2027-03-27', startTime: '22:00:00', endTime: '06:00:00', startDateTime: '2027-03-27T22:00:00.000Z', endDateTime: '2027-03-28T05:00:00.000Z' })]);
  });

  it('fall back (31 October 2027): the repeated hour is offered once per real instant, the shift is 9 real hours', async () => {
    const res = await salon.owner.post(`${salon.owner.branch}/appointments/availability`, {
      startTime: '2027-10-30T00:00:00Z',
      endTime: '2027-10-31T12:00:00Z',
      clientServiceSelections: [{ serviceId: salon.services.blowDry, staffId: salon.staff.conor }],
    });
    const instants = res.body.data.map((s: { startTime: string }) => s.startTime);
    expect(new Set(instants).size).toBe(instants.length);
    expect(instants).toHaveLength(36 - 1);
    // Both 01:30s: 00:30Z (BST) and 01:30Z (GMT).
    expect(instants).toEqual(expect.arrayContaining(['2027-10-31T00:30:00.000Z', '2027-10-31T01:30:00.000Z']));
  });
});
