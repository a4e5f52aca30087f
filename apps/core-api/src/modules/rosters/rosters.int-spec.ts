import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { createSalon, TestSalon } from '../../test-support/salon';

describe('rosters: weekly pattern, overrides, breaks, time off and the rota (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;
  let staff: string;
  const rota = async (from: string, to: string) => (await salon.owner.get(`${salon.owner.branch}/staff-work-time-table?from_date=${from}&to_date=${to}&staff_id=${staff}`)).body;
  const cutTimes = async (date: string) =>
    (
      await salon.owner.post(`${salon.owner.branch}/appointments/availability`, {
        startTime: `${date}T00:00:00Z`,
        endTime: `${date}T23:59:00Z`,
        clientServiceSelections: [{ serviceId: salon.services.blowDry, staffId: staff }],
      })
    ).body.data.map((s: { startTime: string }) => s.startTime.slice(11, 16));

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createSalon(api);
    staff = salon.staff.conor;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('sets a weekly pattern with split shifts and reads it back', async () => {
    const res = await salon.owner.put(`${salon.owner.branch}/staff/${staff}/roster`, {
      weekly: [
        { dayOfWeek: 'TUESDAY', startTime: '09:00', endTime: '13:00' },
        { dayOfWeek: 'TUESDAY', startTime: '14:00', endTime: '18:00' },
        { dayOfWeek: 'WEDNESDAY', startTime: '12:00', endTime: '20:00' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.weekly).toEqual([
      { dayOfWeek: 'TUESDAY', startTime: '09:00', endTime: '13:00' },
      { dayOfWeek: 'TUESDAY', startTime: '14:00', endTime: '18:00' },
      { dayOfWeek: 'WEDNESDAY', startTime: '12:00', endTime: '20:00' },
    ]);
    expect((await rota('2027-02-02', '2027-02-03')).map((r: { date: string; startTime: string; endTime: string }) => `${r.date} ${r.startTime}-${r.endTime}`)).toEqual([
      '2027-02-02 09:00:00-13:00:00',
      '2027-02-02 14:00:00-18:00:00',
      '2027-02-03 12:00:00-20:00:00',
    ]);
    const times = await cutTimes('2027-02-02');
    expect(times).toContain('12:30');
    expect(times).not.toContain('12:45');
    expect(times).toContain('14:00');
  });

  it('replaces one day with an override, or takes it off', async () => {
    await salon.owner.put(`${salon.owner.branch}/staff/${staff}/roster/override/2027-02-09`, { intervals: [{ startTime: '10:00', endTime: '12:00' }] });
    await salon.owner.put(`${salon.owner.branch}/staff/${staff}/roster/override/2027-02-10`, { dayOff: true });
    expect((await rota('2027-02-09', '2027-02-10')).map((r: { startTime: string }) => r.startTime)).toEqual(['10:00:00']);
    expect(await cutTimes('2027-02-10')).toEqual([]);
    expect((await salon.owner.delete(`${salon.owner.branch}/staff/${staff}/roster/override/2027-02-10`)).status).toBe(204);
    expect((await cutTimes('2027-02-10')).length).toBeGreaterThan(0);
  });

  it('takes breaks out of availability (local date and times, or instants) and lists them', async () => {
    const lunch = await salon.owner.post(`${salon.owner.branch}/staff/${staff}/break`, { breakDate: '2027-02-16', startTime: '11:00', endTime: '11:30', label: 'Lunch' });
    expect(lunch.status).toBe(201);
    expect(lunch.body).toMatchObject({ breakDate: '2027-02-16', startTime: '11:00:00', endTime: '11:30:00', label: 'Lunch', paidBreak: false, version: 1 });
    const times = await cutTimes('2027-02-16');
    expect(times).not.toContain('10:45');
    expect(times).not.toContain('11:00');
    expect(times).toContain('11:30');
    const list = await salon.owner.get(`${salon.owner.branch}/break?from_date=2027-02-16&to_date=2027-02-16`);
    expect(list.body._embedded.breaks).toHaveLength(1);
    const moved = await salon.owner.put(`${salon.owner.branch}/staff/${staff}/break/${lunch.body.breakId}`, { version: 1, startTime: '2027-02-16T15:00:00Z', endTime: '2027-02-16T15:30:00Z' });
    expect(moved.body).toMatchObject({ startTime: '15:00:00', version: 2 });
    expect((await salon.owner.put(`${salon.owner.branch}/staff/${staff}/break/${lunch.body.breakId}`, { version: 1, startTime: '2027-02-16T16:00:00Z', endTime: '2027-02-16T16:30:00Z' })).status).toBe(409);
    expect((await salon.owner.delete(`${salon.owner.branch}/staff/${staff}/break/${lunch.body.breakId}`)).status).toBe(204);
  });

  it('takes the reference’s description as well as label, and answers both', async () => {
    const base = `${salon.owner.branch}/staff/${staff}/break`;
    const created = await salon.owner.post(base, { startTime: '2027-02-17T12:00:00Z', endTime: '2027-02-17T12:30:00Z', description: 'Lunch' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ label: 'Lunch', description: 'Lunch', startDateTime: '2027-02-17T12:00:00.000Z', version: 1 });
    const read = await salon.owner.get(`${base}/${created.body.breakId}`);
    expect(read.body).toMatchObject({ label: 'Lunch', description: 'Lunch' });
    const listed = await salon.owner.get(`${base}?from_date=2027-02-17&to_date=2027-02-17`);
    expect(listed.body._embedded.breaks[0]).toMatchObject({ breakId: created.body.breakId, label: 'Lunch', description: 'Lunch' });
    const updated = await salon.owner.put(`${base}/${created.body.breakId}`, { version: 1, startTime: '2027-02-17T13:00:00Z', endTime: '2027-02-17T13:30:00Z', description: 'Training' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ label: 'Training', description: 'Training', startTime: '13:00:00', version: 2 });
    const byLabel = await salon.owner.put(`${base}/${created.body.breakId}`, { version: 2, startTime: '2027-02-17T13:00:00Z', endTime: '2027-02-17T13:30:00Z', label: 'Admin', description: 'Admin' });
    expect(byLabel.body).toMatchObject({ label: 'Admin', description: 'Admin', version: 3 });
    const differ = await salon.owner.post(base, { startTime: '2027-02-17T15:00:00Z', endTime: '2027-02-17T15:30:00Z', label: 'Lunch', description: 'Training' });
    expect(differ.status).toBe(400);
    expect(differ.body.code).toBe('VALIDATION_FAILED');
    expect((await salon.owner.post(base, { startTime: '2027-02-17T15:00:00Z', endTime: '2027-02-17T15:30:00Z', description: 'x'.repeat(101) })).status).toBe(400);
    expect((await salon.owner.delete(`${base}/${created.body.breakId}`)).status).toBe(204);
  });

  it('removes time off from the rota and availability', async () => {
    const off = await salon.owner.post(`${salon.owner.branch}/staff/${staff}/time-off`, { startTime: '2027-02-23T00:00:00Z', endTime: '2027-02-25T00:00:00Z', reason: 'Holiday' });
    expect(off.status).toBe(201);
    expect(await rota('2027-02-23', '2027-02-24')).toEqual([]);
    expect(await cutTimes('2027-02-23')).toEqual([]);
  });

  it.each([
    ['an empty shift', { weekly: [{ dayOfWeek: 'MONDAY', startTime: '09:00', endTime: '09:00' }] }],
    ['a bad day', { weekly: [{ dayOfWeek: 'FUNDAY', startTime: '09:00', endTime: '17:00' }] }],
    ['a bad time', { weekly: [{ dayOfWeek: 'MONDAY', startTime: '9am', endTime: '17:00' }] }],
  ])('refuses %s', async (_label, body) => {
    const res = await salon.owner.put(`${salon.owner.branch}/staff/${staff}/roster`, body);
    expect(res.status).toBe(400);
  });

  it('refuses a break that ends before it starts, and an override date that is not a date', async () => {
    expect((await salon.owner.post(`${salon.owner.branch}/staff/${staff}/break`, { startTime: '2027-02-16T12:00:00Z', endTime: '2027-02-16T11:00:00Z' })).status).toBe(400);
    expect((await salon.owner.put(`${salon.owner.branch}/staff/${staff}/roster/override/2027-02-31`, { dayOff: true })).status).toBe(400);
  });

  it('serves the rota grouped per staff member, as Phorest’s live API does', async () => {
    const res = await salon.owner.get(`${salon.owner.branch}/staff/worktimetable?from_date=2027-02-02&to_date=2027-02-03`);
    expect(res.status).toBe(200);
    const mine = res.body._embedded.workTimeTables.find((w: { staffId: string }) => w.staffId === staff);
    expect(mine.timeSlots).toHaveLength(3);
  });
});

describe('rosters under concurrency (real MariaDB)', () => {
  let api: CoreApiHarness;

  beforeAll(async () => {
    api = await startCoreApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('sets many stylists’ weeks at the same time without a deadlock', async () => {
    const salons = await Promise.all([createSalon(api), createSalon(api), createSalon(api)]);
    const results = await Promise.all(
      salons.flatMap((s) =>
        [s.staff.aoife, s.staff.conor].map((staffId) =>
          s.owner.put(`${s.owner.branch}/staff/${staffId}/roster`, { weekly: [{ dayOfWeek: 'MONDAY', startTime: '08:00', endTime: '12:00' }] }),
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
  });
});
