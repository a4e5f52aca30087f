import { DataSource } from 'typeorm';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { createBusiness } from '../../test-support/api-client';
import { bookingBody, createSalon, TestSalon } from '../../test-support/salon';
import { newId } from '../../shared/ids';
import { BranchRowCache } from '../branches/branch-row.cache';
import { RostersService } from '../rosters/rosters.service';

// A winter Thursday in Dublin: local time = UTC.
const DAY = '2027-03-04';
const at = (hhmm: string) => `${DAY}T${hhmm}:00.000Z`;

/**
 * The booking route takes its branch from memory (BranchRowCache) and checks the business's
 * calendar version inside its transaction. These changes are made behind the copy's back
 * (plain SQL, as another copy, a script or a migration would), after a booking has put the
 * branch in its cache: the next booking must still be judged by the database's rota and
 * settings, and the cache must never answer for another business's branch.
 */
describe('booking: the branch from memory, checked against the calendar version (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;
  let db: DataSource;
  let client = 0;
  const newClient = async () => (await salon.owner.post(`${salon.owner.business}/client`, { firstName: `Cache${++client}`, lastName: 'Test' })).body.clientId as string;
  const book = async (serviceId: string, staffId: string, time: string, status: 'ACTIVE' | 'RESERVED' = 'ACTIVE') =>
    salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(await newClient(), [[serviceId, staffId, at(time)]], status));

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createSalon(api);
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('sees time off added behind its back: the cached branch is read again and the stylist refused', async () => {
    const { blowDry } = salon.services;
    const { aoife } = salon.staff;
    const cache = api.app.get(BranchRowCache);
    // (The set-up's last routes cached the branch as read before their own changes: this
    // booking may find it stale and read it again.)
    expect((await book(blowDry, aoife, '09:00')).status).toBe(201);
    expect(cache.get(salon.owner.branchId, salon.owner.businessId)).toBeDefined();
    const forget = jest.spyOn(cache, 'forget');
    // Nothing changed since: the cached branch's version matches the database's, one attempt.
    expect((await book(blowDry, aoife, '09:30')).status).toBe(201);
    expect(forget).not.toHaveBeenCalled();
    await db.query('INSERT INTO staff_time_off (id, business_id, branch_id, staff_id, start_at, end_at, reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, NOW(3), NOW(3))', [
      newId(),
      salon.owner.businessId,
      salon.owner.branchId,
      aoife,
      new Date(at('12:00')),
      new Date(at('14:00')),
      'dentist',
    ]);
    const refused = await book(blowDry, aoife, '12:30');
    expect([refused.status, refused.body.code]).toEqual([409, 'STAFF_NOT_WORKING']);
    // one stale attempt, then the branch read afresh
    expect(forget).toHaveBeenCalledTimes(1);
    expect((await book(blowDry, aoife, '14:00')).status).toBe(201);
    expect(forget).toHaveBeenCalledTimes(1);
    forget.mockRestore();
  });

  it('uses branch settings changed behind its back (a hold lasts the new hold time)', async () => {
    const { blowDry } = salon.services;
    const { conor } = salon.staff;
    expect((await book(blowDry, conor, '09:00')).status).toBe(201);
    await db.query('UPDATE branch SET hold_minutes = 42 WHERE id = ?', [salon.owner.branchId]);
    const started = Date.now();
    const hold = await book(blowDry, conor, '10:00', 'RESERVED');
    expect(hold.status).toBe(201);
    const minutes = (Date.parse(hold.body.holdExpiresAt) - started) / 60_000;
    expect(minutes).toBeGreaterThan(41.5);
    expect(minutes).toBeLessThan(42.5);
  });

  it('reads a stylist’s rota once for a week of bookings, and still follows each day of it', async () => {
    const { blowDry } = salon.services;
    const { aoife } = salon.staff;
    // The booking path reads its calendar base in 7-day blocks counted from the epoch (a
    // Thursday): 2027-03-11 to 2027-03-17 is one block. A day off in the middle of it.
    const dayOff = await salon.owner.put(`${salon.owner.branch}/staff/${aoife}/roster/override/2027-03-13`, { dayOff: true });
    expect(dayOff.status).toBe(200);
    const bookOn = async (date: string) => salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(await newClient(), [[blowDry, aoife, `${date}T11:00:00.000Z`]]));
    // (The first booking may find the cached branch older than the override: see above.)
    expect((await bookOn('2027-03-11')).status).toBe(201);
    const rota = jest.spyOn(api.app.get(RostersService), 'rota');
    const answers = [];
    for (const date of ['2027-03-12', '2027-03-13', '2027-03-14', '2027-03-17']) answers.push([date, (await bookOn(date)).body.code ?? 201]);
    expect(answers).toEqual([
      ['2027-03-12', 201],
      ['2027-03-13', 'STAFF_NOT_WORKING'],
      ['2027-03-14', 201],
      ['2027-03-17', 201],
    ]);
    expect(rota).not.toHaveBeenCalled();
    // The next block is a read of its own.
    expect((await bookOn('2027-03-18')).status).toBe(201);
    expect(rota).toHaveBeenCalledTimes(1);
    rota.mockRestore();
  });

  it('answers 404 for another business’s branch even while that branch is cached', async () => {
    const other = await createBusiness(api, { timeZone: 'Europe/Dublin', country: 'IE' });
    const otherBranch = other.branchId;
    const otherBranchRow = (await db.query('SELECT b.*, NULL AS calendar_version FROM branch b WHERE id = ?', [otherBranch]))[0];
    api.app.get(BranchRowCache).remember({ ...otherBranchRow, calendar_version: 0 });
    const res = await salon.owner.post(`${salon.owner.business}/branch/${otherBranch}/booking`, bookingBody(await newClient(), [[salon.services.blowDry, salon.staff.aoife, at('15:00')]]));
    expect([res.status, res.body.code, res.body.message]).toEqual([404, 'NOT_FOUND', 'Branch not found']);
  });
});
