import { ApiClient, addUser, createBusiness } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { insertService } from '../../test-support/fixtures';

describe('staff API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let owner: ApiClient;
  let cut: string;
  let colour: string;

  beforeAll(async () => {
    api = await startCoreApi();
    owner = await createBusiness(api);
    cut = await insertService(api, owner, { name: 'Cut', priceMinor: 5500 });
    colour = await insertService(api, owner, { name: 'Colour', duration: 90, gap: [30, 30] });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('adds a staff member with the services they may do, their own price and duration', async () => {
    const res = await owner.post(`${owner.branch}/staff`, {
      firstName: 'Aoife',
      lastName: 'Byrne',
      mobile: '087 123 4567',
      services: [{ serviceId: cut, price: 65.5 }, { serviceId: colour, duration: 100 }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      firstName: 'Aoife',
      mobile: '+353871234567',
      branchId: owner.branchId,
      hideFromOnlineBookings: false,
      version: 1,
      disqualifiedServices: [],
    });
    expect(res.body.services).toEqual(
      expect.arrayContaining([
        { serviceId: cut, price: 65.5, duration: null },
        { serviceId: colour, price: null, duration: 100 },
      ]),
    );
  });

  it('lists staff as _embedded.staffs with paging, and shows what each may not do', async () => {
    await owner.post(`${owner.branch}/staff`, { firstName: 'Conor', services: [{ serviceId: cut }] });
    const res = await owner.get(`${owner.branch}/staff?size=1&page=1`);
    expect(res.status).toBe(200);
    expect(res.body.page).toEqual({ size: 1, totalElements: 2, totalPages: 2, number: 1 });
    expect(res.body._embedded.staffs[0]).toMatchObject({ firstName: 'Conor', disqualifiedServices: [colour] });
  });

  it('filters by updatedAfter and hides archived staff unless fetch_archived=true', async () => {
    const created = await owner.post(`${owner.branch}/staff`, { firstName: 'Zed' });
    expect((await owner.delete(`${owner.branch}/staff/${created.body.staffId}`)).status).toBe(204);
    const visible = await owner.get(`${owner.branch}/staff?size=100`);
    expect(visible.body._embedded.staffs.map((s: { firstName: string }) => s.firstName)).not.toContain('Zed');
    const all = await owner.get(`${owner.branch}/staff?size=100&fetch_archived=true`);
    expect(all.body._embedded.staffs.map((s: { firstName: string }) => s.firstName)).toContain('Zed');
    const future = await owner.get(`${owner.branch}/staff?updatedAfter=2999-01-01T00:00:00.000Z`);
    expect(future.body.page.totalElements).toBe(0);
  });

  it('updates with version (409 when stale), replaces qualifications, ETag/304 on get', async () => {
    const created = await owner.post(`${owner.branch}/staff`, { firstName: 'Niamh', services: [{ serviceId: colour }] });
    const path = `${owner.branch}/staff/${created.body.staffId}`;
    const updated = await owner.put(path, { version: 1, services: [{ serviceId: cut }], hideFromOnlineBookings: true });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ version: 2, hideFromOnlineBookings: true, services: [{ serviceId: cut, price: null, duration: null }] });
    expect((await owner.put(path, { version: 1, firstName: 'Stale' })).body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    const got = await owner.get(path);
    expect((await owner.get(path, { 'if-none-match': got.headers.get('etag')! })).status).toBe(304);
  });

  it.each([
    ['no first name', { lastName: 'x' }, 'firstName'],
    ['an invalid mobile', { firstName: 'A', mobile: '12' }, 'mobile'],
    ['a negative price', { firstName: 'A', services: [{ serviceId: 'Xk2PqN0aRm5tVb8wYc1dEf', price: -1 }] }, 'services[0].price'],
    ['a malformed service id', { firstName: 'A', services: [{ serviceId: 'nope' }] }, 'services[0].serviceId'],
    ['createdAt smuggled in', { firstName: 'A', createdAt: '2020-01-01' }, 'createdAt'],
  ])('refuses %s with 400', async (_label, body, field) => {
    const res = await owner.post(`${owner.branch}/staff`, body);
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  it('refuses another business’s service in the body with 404 and writes nothing', async () => {
    const other = await createBusiness(api);
    const foreign = await insertService(api, other, { name: 'Theirs' });
    const before = (await owner.get(`${owner.branch}/staff?size=100&fetch_archived=true`)).body.page.totalElements;
    const res = await owner.post(`${owner.branch}/staff`, { firstName: 'Sneaky', services: [{ serviceId: foreign }] });
    expect(res.status).toBe(404);
    expect((await owner.get(`${owner.branch}/staff?size=100&fetch_archived=true`)).body.page.totalElements).toBe(before);
  });

  it('lets reception read staff but not change them', async () => {
    const reception = await addUser(api, owner, 'RECEPTION');
    expect((await reception.get(`${owner.branch}/staff`)).status).toBe(200);
    expect((await reception.post(`${owner.branch}/staff`, { firstName: 'No' })).status).toBe(403);
  });

  it('answers the reference’s roles: the staff category’s name, or none', async () => {
    const category = await owner.post(`${owner.branch}/staff-category`, { name: 'Senior Stylist' });
    expect(category.status).toBe(201);
    const withRole = await owner.post(`${owner.branch}/staff`, { firstName: 'Róisín', staffCategoryId: category.body.categoryId ?? category.body.staffCategoryId });
    expect(withRole.status).toBe(201);
    expect(withRole.body).toMatchObject({ staffCategoryName: 'Senior Stylist', roles: ['Senior Stylist'] });
    expect((await owner.get(`${owner.branch}/staff/${withRole.body.staffId}`)).body.roles).toEqual(['Senior Stylist']);
    const without = await owner.post(`${owner.branch}/staff`, { firstName: 'Niamh' });
    expect(without.body).toMatchObject({ staffCategoryId: null, roles: [] });
    await owner.delete(`${owner.branch}/staff/${withRole.body.staffId}`);
    await owner.delete(`${owner.branch}/staff/${without.body.staffId}`);
  });
});
