import { DataSource } from 'typeorm';
import { registeredRoutes } from '../../shared/http/route-registry';
import { newId } from '../../shared/ids';
import { ApiClient, createBusiness } from '../../test-support/api-client';
import { bookingBody, createSalon } from '../../test-support/salon';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { PATH_ID_TABLES } from './tenancy.guard';

/**
 * Walks every route the router knows. With business A's owner credential:
 *  1. business B's id in the path answers 404, whatever the route;
 *  2. A's business id with B's ids for every other path parameter answers 404 too;
 * and nothing is written to B. A new route with an id parameter the tenancy guard does not
 * know fails this test.
 */
describe('tenant isolation sweep over every route (real MariaDB)', () => {
  let api: CoreApiHarness;
  let a: ApiClient;
  let b: ApiClient;
  const bIds: Record<string, string> = {};

  beforeAll(async () => {
    api = await startCoreApi();
    a = await createBusiness(api);
    b = await createBusiness(api);
    const ds = api.app.get(DataSource);
    const insert = async (table: string, extra: Record<string, unknown>) => {
      const id = newId();
      const columns = { id, business_id: b.businessId, created_at: new Date(), updated_at: new Date(), ...extra };
      await ds.query(`INSERT INTO ${table} (${Object.keys(columns).join(', ')}) VALUES (?)`, [Object.values(columns)]);
      return id;
    };
    bIds['branchId'] = b.branchId;
    bIds['staffId'] = await insert('staff', { branch_id: b.branchId, first_name: 'B staff' });
    bIds['serviceId'] = await insert('service', { branch_id: b.branchId, name: 'B service', duration_minutes: 30, price_minor: 100 });
    bIds['clientId'] = await insert('client', { first_name: 'B', last_name: 'Client', mobile: '+353870000001' });
    bIds['roomId'] = await insert('room', { branch_id: b.branchId, name: 'B room' });
    bIds['machineId'] = await insert('machine', { branch_id: b.branchId, name: 'B machine' });
    bIds['staffCategoryId'] = await insert('staff_category', { branch_id: b.branchId, name: 'B staff category' });
    bIds['categoryId'] = await insert('service_category', { branch_id: b.branchId, name: 'B category' });
    bIds['userId'] = (await ds.query('SELECT id FROM api_user WHERE business_id = ?', [b.businessId]))[0].id;
    bIds['productId'] = await insert('product', { branch_id: b.branchId, name: 'B product', price_minor: 100 });
    bIds['taxRateId'] = await insert('tax_rate', { branch_id: b.branchId, name: 'B rate', rate_milli: 23_000 });
    bIds['tillId'] = await insert('till', { branch_id: b.branchId, name: 'B till' });
    const voucher = { creating_branch_id: b.branchId, serial_number: 'B-SERIAL', currency: 'EUR', issue_date: new Date(), original_balance_minor: 500, remaining_balance_minor: 500 };
    bIds['voucherId'] = await insert('voucher', voucher);
    const totals = { gross_minor: 0, discount_minor: 0, total_minor: 0, tax_minor: 0, tip_minor: 0, paid_minor: 0, change_minor: 0 };
    const purchase = { branch_id: b.branchId, number: 'B-1', kind: 'SALE', currency: 'EUR', request_hash: 'x', local_date: '2027-02-02', purchased_at: new Date(), ...totals };
    bIds['purchaseId'] = await insert('purchase', purchase);
    bIds['jobId'] = await insert('csv_export_job', { branch_id: b.branchId, job_type: 'CLIENT_CSV' });
    // B's bookings, appointments, breaks and time off, made through B's own API.
    const bSalon = await createSalon(api);
    const booked = await bSalon.owner.post(`${bSalon.owner.branch}/booking`, bookingBody(bSalon.clients.siobhan, [[bSalon.services.cut, bSalon.staff.aoife, '2027-02-02T10:00:00.000Z']]));
    bIds['bookingId'] = booked.body.bookingId;
    bIds['appointmentId'] = booked.body.clientAppointmentSchedules[0].serviceSchedules[0].appointmentId;
    bIds['breakId'] = (await bSalon.owner.post(`${bSalon.owner.branch}/staff/${bSalon.staff.aoife}/break`, { breakDate: '2027-02-02', startTime: '12:00', endTime: '12:30' })).body.breakId;
    bIds['timeOffId'] = (
      await bSalon.owner.post(`${bSalon.owner.branch}/staff/${bSalon.staff.aoife}/time-off`, { startTime: '2027-03-01T00:00:00Z', endTime: '2027-03-02T00:00:00Z' })
    ).body.timeOffId;
  });

  /** Path parameters that are not ids, and a valid value for each. */
  const NOT_IDS: Record<string, string> = { date: '2027-02-10', action: 'checkin' };
  const fill = (url: string, values: (name: string) => string) => url.replace(/:(\w+)/g, (_, name: string) => NOT_IDS[name] ?? values(name));
  afterAll(async () => {
    await api?.close();
  });

  const apiRoutes = () => registeredRoutes(api.app).filter((r) => r.url.includes(':businessId'));
  const bodyFor = (method: string) => (method === 'GET' || method === 'DELETE' ? undefined : { version: 1, name: 'x', firstName: 'x', lastName: 'x' });

  it('knows the table of every id parameter in every route', () => {
    const params = new Set(apiRoutes().flatMap((r) => [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1])));
    params.delete('businessId');
    for (const name of Object.keys(NOT_IDS)) params.delete(name);
    const unknown = [...params].filter((p) => !PATH_ID_TABLES[p]);
    expect(unknown).toEqual([]);
    expect(apiRoutes().length).toBeGreaterThan(20);
  });

  it("answers 404 to B's business id on every route", async () => {
    const failures: string[] = [];
    for (const route of apiRoutes()) {
      const path = fill(route.url, (name) => (name === 'businessId' ? b.businessId : (bIds[name] ?? newId())));
      const res = await a.request(route.method, path, bodyFor(route.method));
      if (res.status !== 404) failures.push(`${route.method} ${route.url} -> ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it("answers 404 to B's ids under A's business (and A's own branch) on every route that takes them", async () => {
    const failures: string[] = [];
    const routes = apiRoutes().filter((r) => [...r.url.matchAll(/:(\w+)/g)].some((m) => PATH_ID_TABLES[m[1]]));
    for (const route of routes) {
      const ids = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]).filter((n) => PATH_ID_TABLES[n]);
      // Each id parameter in turn is B's; the others are A's own (or B's when A has none).
      for (const foreign of ids) {
        const path = fill(route.url, (name) => (name === 'businessId' ? a.businessId : name === foreign ? bIds[name] : name === 'branchId' ? a.branchId : bIds[name]));
        const res = await a.request(route.method, path, bodyFor(route.method));
        if (res.status !== 404) failures.push(`${route.method} ${route.url} [${foreign}] -> ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(routes.length).toBeGreaterThan(30);
  });

  it('left B untouched', async () => {
    const ds = api.app.get(DataSource);
    const [row] = await ds.query('SELECT (SELECT name FROM branch WHERE id = ?) AS branch, (SELECT first_name FROM staff WHERE id = ?) AS staff, (SELECT archived FROM client WHERE id = ?) AS archived', [
      b.branchId,
      bIds['staffId'],
      bIds['clientId'],
    ]);
    expect(row).toEqual({ branch: expect.stringMatching(/^Branch /), staff: 'B staff', archived: 0 });
  });
});
