import { DataSource } from 'typeorm';
import { registeredRoutes } from '../../shared/http/route-registry';
import { newId } from '../../shared/ids';
import { ApiClient, createBusiness } from '../../test-support/api-client';
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
  });
  afterAll(async () => {
    await api?.close();
  });

  const apiRoutes = () => registeredRoutes(api.app).filter((r) => r.url.includes(':businessId'));
  const bodyFor = (method: string) => (method === 'GET' || method === 'DELETE' ? undefined : { version: 1, name: 'x', firstName: 'x', lastName: 'x' });

  it('knows the table of every id parameter in every route', () => {
    const params = new Set(apiRoutes().flatMap((r) => [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1])));
    params.delete('businessId');
    const unknown = [...params].filter((p) => !PATH_ID_TABLES[p]);
    expect(unknown).toEqual([]);
    expect(apiRoutes().length).toBeGreaterThan(20);
  });

  it("answers 404 to B's business id on every route", async () => {
    const failures: string[] = [];
    for (const route of apiRoutes()) {
      const path = route.url.replace(/:(\w+)/g, (_, name: string) => (name === 'businessId' ? b.businessId : (bIds[name] ?? newId())));
      const res = await a.request(route.method, path, bodyFor(route.method));
      if (res.status !== 404) failures.push(`${route.method} ${route.url} -> ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it("answers 404 to B's ids under A's business id on every route that takes them", async () => {
    const failures: string[] = [];
    const routes = apiRoutes().filter((r) => /:(?!businessId)\w+/.test(r.url));
    for (const route of routes) {
      const path = route.url.replace(/:(\w+)/g, (_, name: string) => (name === 'businessId' ? a.businessId : bIds[name]));
      const res = await a.request(route.method, path, bodyFor(route.method));
      if (res.status !== 404) failures.push(`${route.method} ${route.url} -> ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
    expect(routes.length).toBeGreaterThan(10);
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
