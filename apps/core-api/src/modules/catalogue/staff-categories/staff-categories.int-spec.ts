import { ApiClient, addUser, createBusiness } from '../../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../../test-support/core-api-harness';
import {
  auditFields,
  countRows,
  expectNotFound,
  expectValidationError,
  LONG_STRING,
  openBranch,
  UNKNOWN_ID,
} from '../test-support/catalogue-checks';

describe('staff categories API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let owner: ApiClient;
  let other: ApiClient;
  const list = (c: ApiClient = owner) => `${c.branch}/staff-category`;
  const item = (id: string, c: ApiClient = owner) => `${list(c)}/${id}`;

  beforeAll(async () => {
    api = await startCoreApi();
    [owner, other] = await Promise.all([createBusiness(api), createBusiness(api)]);
  });
  afterAll(async () => {
    await api?.close();
  });

  async function create(name: string, c: ApiClient = owner) {
    const res = await c.post(list(c), { name });
    expect(res.status).toBe(201);
    return res.body as { staffCategoryId: string; version: number; name: string };
  }

  it('creates categories and lists them by name in pages', async () => {
    const res = await owner.post(list(), { name: 'Senior Stylist' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ staffCategoryId: expect.stringMatching(/^[\w-]{22}$/), name: 'Senior Stylist', ...auditFields() });
    await create('Art Director');
    await create('Junior Stylist');
    const page0 = await owner.get(`${list()}?size=2`);
    expect(page0.body.page).toEqual({ size: 2, totalElements: 3, totalPages: 2, number: 0 });
    expect(page0.body._embedded.staffCategories.map((c: { name: string }) => c.name)).toEqual(['Art Director', 'Junior Stylist']);
    expect((await owner.get(`${list()}?size=2&page=1`)).body._embedded.staffCategories.map((c: { name: string }) => c.name)).toEqual([
      'Senior Stylist',
    ]);
  });

  it('gets one with an ETag (304), updates with the version read (409 when stale), and archives', async () => {
    const cat = await create('Colourist');
    const first = await owner.get(item(cat.staffCategoryId));
    expect(first.body).toEqual(cat);
    expect((await owner.get(item(cat.staffCategoryId), { 'if-none-match': String(first.headers.get('etag')) })).status).toBe(304);
    expect((await owner.put(item(cat.staffCategoryId), { version: 1, name: 'Master Colourist' })).body).toMatchObject({
      name: 'Master Colourist',
      version: 2,
    });
    const stale = await owner.put(item(cat.staffCategoryId), { version: 1, name: 'Lost' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect((await owner.delete(item(cat.staffCategoryId))).status).toBe(204);
    const listed = (q: string) =>
      owner.get(`${list()}${q}`).then((r) => r.body._embedded.staffCategories.map((c: { staffCategoryId: string }) => c.staffCategoryId));
    expect(await listed('?size=100')).not.toContain(cat.staffCategoryId);
    expect(await listed('?size=100&includeArchived=true')).toContain(cat.staffCategoryId);
    expect((await owner.get(item(cat.staffCategoryId))).body).toMatchObject({ name: 'Master Colourist', archived: true, version: 3 });
  });

  it.each([
    ['an unknown field', { name: 'x', sortOrder: 1 }, 'sortOrder'],
    ['a wrong type', { name: true }, 'name'],
    ['a 10,000-character name', { name: LONG_STRING }, 'name'],
    ['an empty name', { name: '' }, 'name'],
  ])('refuses to create with %s (400) and writes nothing', async (_label, body, field) => {
    const before = await countRows(api, 'staff_category', owner.businessId);
    expectValidationError(await owner.post(list(), body), field);
    expect(await countRows(api, 'staff_category', owner.businessId)).toBe(before);
  });

  it('refuses an update without a version or with an out-of-range one, and malformed ids', async () => {
    const cat = await create('Stable');
    expectValidationError(await owner.put(item(cat.staffCategoryId), { name: 'x' }), 'version');
    expectValidationError(await owner.put(item(cat.staffCategoryId), { version: 0, name: 'x' }), 'version');
    expect((await owner.get(item(cat.staffCategoryId))).body).toEqual(cat);
    expect((await owner.get(`${list()}/not-an-id`)).status).toBe(400);
    expect((await owner.delete(`${list()}/not-an-id`)).status).toBe(400);
  });

  it('lets salon roles read (not the booking site), and only managers and owners write', async () => {
    const cat = await create('Roles');
    const [reception, stylist, manager, service] = await Promise.all(
      ['RECEPTION', 'STYLIST', 'MANAGER', 'SERVICE'].map((r) => addUser(api, owner, r as never)),
    );
    for (const reader of [reception, stylist]) expect((await reader.get(list())).status).toBe(200);
    expect((await service.get(list())).status).toBe(403);
    for (const writer of [reception, stylist]) {
      expect((await writer.post(list(), { name: 'nope' })).status).toBe(403);
      expect((await writer.put(item(cat.staffCategoryId), { version: 1, name: 'nope' })).status).toBe(403);
      expect((await writer.delete(item(cat.staffCategoryId))).status).toBe(403);
    }
    expect((await manager.post(list(), { name: 'Managed' })).status).toBe(201);
  });

  it('hides other businesses and branches: their ids answer 404 and nothing changes', async () => {
    const theirs = await create('Theirs', other);
    expectNotFound(await owner.get(list(other)));
    expectNotFound(await owner.post(`${owner.business}/branch/${other.branchId}/staff-category`, { name: 'hijack' }));
    expectNotFound(await owner.get(item(theirs.staffCategoryId)));
    expectNotFound(await owner.put(item(theirs.staffCategoryId), { version: 1, name: 'hijack' }));
    expectNotFound(await owner.delete(item(theirs.staffCategoryId)));
    expectNotFound(await owner.get(item(UNKNOWN_ID)));
    expect((await other.get(item(theirs.staffCategoryId, other))).body).toEqual(theirs);
    const second = await openBranch(owner);
    const mine = await create('Mine');
    expectNotFound(
      await owner.put(`${owner.business}/branch/${second}/staff-category/${mine.staffCategoryId}`, { version: 1, name: 'moved' }),
    );
    expect((await owner.get(item(mine.staffCategoryId))).body).toEqual(mine);
  });
});
