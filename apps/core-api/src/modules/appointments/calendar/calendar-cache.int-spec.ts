import { queryDatabase } from '@chairbook/testing';
import { DataSource, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { BatchedTransaction, batchedTransaction } from '@chairbook/platform';
import { newId } from '../../../shared/ids';
import { CoreApiHarness, startCoreApi } from '../../../test-support/core-api-harness';
import { bookingBody, createSalon, TestSalon } from '../../../test-support/salon';

// A winter Wednesday in Dublin: local time = UTC.
const DAY = '2027-02-03';
const at = (hhmm: string) => `${DAY}T${hhmm}:00.000Z`;

/**
 * The calendar base (services, staff, rota) is cached per process, keyed by the business's
 * calendar version, which database triggers move on every change to what it is read from. These
 * tests change the calendar straight in the database, as another copy of core-api or a script
 * would, and expect the very next request to see it.
 */
describe('calendar base cache and its version (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: TestSalon;
  let db: DataSource;
  const version = async () => {
    const [row] = await queryDatabase<{ version: string }>(api.database, 'SELECT version FROM calendar_version WHERE business_id = ?', [salon.owner.businessId]);
    return Number(row?.version ?? 0);
  };
  const book = (client: string, staff: string, time: string) => salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(client, [[salon.services.blowDry, staff, at(time)]]));
  const newClient = async (firstName: string) => (await salon.owner.post(`${salon.owner.business}/client`, { firstName, lastName: 'Cache' })).body.clientId as string;

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createSalon(api);
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('moves the version on every write to each table the calendar base is read from', async () => {
    const { businessId, branchId } = salon.owner;
    const { aoife } = salon.staff;
    const roomId = newId();
    const breakId = newId();
    const offId = newId();
    const writes: [string, string, unknown[]][] = [
      ['branch', 'UPDATE branch SET hold_minutes = hold_minutes WHERE id = ?', [branchId]],
      ['service', 'UPDATE service SET name = name WHERE id = ?', [salon.services.cut]],
      ['staff', 'UPDATE staff SET first_name = first_name WHERE id = ?', [aoife]],
      ['staff_service', 'UPDATE staff_service SET price_minor = price_minor WHERE staff_id = ?', [aoife]],
      ['staff_roster_interval', 'UPDATE staff_roster_interval SET end_time = end_time WHERE staff_id = ?', [aoife]],
      ['staff_roster_override', "INSERT INTO staff_roster_override (business_id, staff_id, date, day_off) VALUES (?, ?, '2030-01-01', 1)", [businessId, aoife]],
      ['staff_roster_override', "DELETE FROM staff_roster_override WHERE staff_id = ? AND date = '2030-01-01'", [aoife]],
      ['staff_break', "INSERT INTO staff_break (id, business_id, branch_id, staff_id, start_at, end_at, created_at, updated_at) VALUES (?, ?, ?, ?, '2030-01-01 12:00', '2030-01-01 13:00', NOW(3), NOW(3))", [breakId, businessId, branchId, aoife]],
      ['staff_break', 'DELETE FROM staff_break WHERE id = ?', [breakId]],
      ['staff_time_off', "INSERT INTO staff_time_off (id, business_id, branch_id, staff_id, start_at, end_at, created_at, updated_at) VALUES (?, ?, ?, ?, '2030-01-01', '2030-01-02', NOW(3), NOW(3))", [offId, businessId, branchId, aoife]],
      ['staff_time_off', 'DELETE FROM staff_time_off WHERE id = ?', [offId]],
      ['room', "INSERT INTO room (id, business_id, branch_id, name, capacity, created_at, updated_at) VALUES (?, ?, ?, 'Cache room', 1, NOW(3), NOW(3))", [roomId, businessId, branchId]],
      ['service_resource', "INSERT INTO service_resource (business_id, service_id, resource_type, resource_id) VALUES (?, ?, 'ROOM', ?)", [businessId, salon.services.colour, roomId]],
      ['service_resource', 'DELETE FROM service_resource WHERE resource_id = ?', [roomId]],
      ['room', 'DELETE FROM room WHERE id = ?', [roomId]],
    ];
    for (const [table, sql, params] of writes) {
      const before = await version();
      await db.query(sql, params);
      expect({ table, moved: (await version()) > before }).toEqual({ table, moved: true });
    }
  });

  it('sees a break written straight into the database by the very next booking, and its removal', async () => {
    const first = await book(await newClient('Warm'), salon.staff.aoife, '09:00');
    expect(first.status).toBe(201); // the day's base is now cached
    const breakId = newId();
    await db.query('INSERT INTO staff_break (id, business_id, branch_id, staff_id, start_at, end_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3), NOW(3))', [
      breakId, salon.owner.businessId, salon.owner.branchId, salon.staff.aoife, new Date(at('11:00')), new Date(at('12:00')),
    ]);
    const duringBreak = await book(await newClient('Break'), salon.staff.aoife, '11:00');
    expect(duringBreak.status).toBe(409);
    expect(duringBreak.body.code).toBe('STAFF_NOT_WORKING');
    const offered = await salon.owner.post(`${salon.owner.branch}/appointments/availability`, {
      startTime: at('00:00'), endTime: '2027-02-04T00:00:00Z', clientServiceSelections: [{ serviceId: salon.services.blowDry, staffId: salon.staff.aoife }],
    });
    const times = offered.body.data.map((s: { startTime: string }) => s.startTime.slice(11, 16));
    expect(times).toContain('10:30');
    expect(times).not.toContain('11:00');

    await db.query('DELETE FROM staff_break WHERE id = ?', [breakId]);
    expect((await book(await newClient('After'), salon.staff.aoife, '11:00')).status).toBe(201);
  });

  it('answers 404 for a stylist archived a moment ago, and for another branch’s service', async () => {
    const staff = await salon.owner.post(`${salon.owner.branch}/staff`, { firstName: 'Leaving', services: [{ serviceId: salon.services.blowDry }] });
    const id = staff.body.staffId as string;
    await salon.owner.put(`${salon.owner.branch}/staff/${id}/roster`, { weekly: [{ dayOfWeek: 'WEDNESDAY', startTime: '09:00', endTime: '17:00' }] });
    expect((await book(await newClient('Before'), id, '14:00')).status).toBe(201);
    await db.query('UPDATE staff SET archived = 1 WHERE id = ?', [id]);
    const after = await book(await newClient('Archived'), id, '15:00');
    expect(after.status).toBe(404);

    const other = await createSalon(api);
    const foreign = await salon.owner.post(`${salon.owner.branch}/booking`, bookingBody(salon.clients.maeve, [[other.services.cut, salon.staff.conor, at('15:00')]]));
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('NOT_FOUND');
  });

  describe('batched transaction', () => {
    it('answers each statement of a batch, and commits them with the last batch', async () => {
      const key = newId();
      const results = await batchedTransaction(db, async (tx) => {
        const [inserted, read] = await tx.run(["INSERT INTO calendar_version (business_id, version) VALUES (?, 41)", [key]], ['SELECT version FROM calendar_version WHERE business_id = ?', [key]]);
        expect((inserted as { affectedRows: number }).affectedRows).toBe(1);
        expect((read as { version: string }[]).map((r) => Number(r.version))).toEqual([41]);
        return tx.commit(['UPDATE calendar_version SET version = version + 1 WHERE business_id = ?', [key]]);
      });
      expect(results).toHaveLength(1);
      const [row] = await queryDatabase<{ version: string }>(api.database, 'SELECT version FROM calendar_version WHERE business_id = ?', [key]);
      expect(Number(row.version)).toBe(42);
    });

    it('rolls everything back when a statement of the last batch fails, and when the work throws', async () => {
      const key = newId();
      await expect(
        batchedTransaction(db, async (tx) => {
          await tx.run(['INSERT INTO calendar_version (business_id, version) VALUES (?, 1)', [key]]);
          return tx.commit(['UPDATE calendar_version SET version = 2 WHERE business_id = ?', [key]], ['SELECT * FROM table_that_is_not_there']);
        }),
      ).rejects.toThrow(/table_that_is_not_there/);
      await expect(
        batchedTransaction(db, async (tx) => {
          await tx.run(['INSERT INTO calendar_version (business_id, version) VALUES (?, 1)', [key]]);
          throw new Error('the rules said no');
        }),
      ).rejects.toThrow('the rules said no');
      await expect(batchedTransaction(db, async (tx) => tx.run(['INSERT INTO calendar_version (business_id, version) VALUES (?, 1)', [key]]))).rejects.toThrow(/without commit/);
      expect(await queryDatabase(api.database, 'SELECT * FROM calendar_version WHERE business_id = ?', [key])).toEqual([]);
    });

    it('refuses statements once its connection went back to the pool', async () => {
      let leaked: BatchedTransaction | undefined;
      await expect(
        batchedTransaction(db, async (tx) => {
          leaked = tx;
          await tx.run(['SELECT 1']);
          throw new Error('stop here');
        }),
      ).rejects.toThrow('stop here');
      await expect(leaked!.run(['SELECT 1'])).rejects.toBeInstanceOf(QueryRunnerAlreadyReleasedError);
    });
  });
});
