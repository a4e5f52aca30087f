import { ApiClient, addUser, createBusiness } from '../../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../../test-support/core-api-harness';
import { auditFields, countRows, expectNotFound, expectValidationError, LONG_STRING, UNKNOWN_ID } from '../test-support/catalogue-checks';

describe('client categories API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let owner: ApiClient;
  let other: ApiClient;
  // Phorest's path and our alias serve the same handlers.
  const phorest = (c: ApiClient = owner) => `${c.business}/category/client`;
  const alias = (c: ApiClient = owner) => `${c.business}/client-category`;

  beforeAll(async () => {
    api = await startCoreApi();
    [owner, other] = await Promise.all([createBusiness(api), createBusiness(api)]);
  });
  afterAll(async () => {
    await api?.close();
  });

  async function create(name: string, c: ApiClient = owner) {
    const res = await c.post(phorest(c), { name });
    expect(res.status).toBe(201);
    return res.body as { categoryId: string; clientCategoryId: string; version: number; name: string };
  }

  it('creates categories with both id names and lists them by name in pages, on both paths', async () => {
    const res = await owner.post(alias(), { name: 'VIP' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      categoryId: expect.stringMatching(/^[\w-]{22}$/),
      clientCategoryId: res.body.categoryId,
      name: 'VIP',
      ...auditFields(),
    });
    await create('Bridal');
    await create('Students 100%_off');
    for (const path of [phorest(), alias()]) {
      const page0 = await owner.get(`${path}?size=2`);
      expect(page0.status).toBe(200);
      expect(page0.body.page).toEqual({ size: 2, totalElements: 3, totalPages: 2, number: 0 });
      expect(page0.body._embedded.clientCategories.map((c: { name: string }) => c.name)).toEqual(['Bridal', 'Students 100%_off']);
      expect((await owner.get(`${path}?size=2&page=1`)).body._embedded.clientCategories.map((c: { name: string }) => c.name)).toEqual([
        'VIP',
      ]);
    }
  });

  it('filters by name (contained, case-insensitive, wildcards literal)', async () => {
    const names = async (q: string) =>
      (await owner.get(`${phorest()}?name=${encodeURIComponent(q)}`)).body._embedded.clientCategories.map((c: { name: string }) => c.name);
    expect(await names('vip')).toEqual(['VIP']);
    expect(await names('rid')).toEqual(['Bridal']);
    expect(await names('%')).toEqual(['Students 100%_off']);
    expect(await names('_')).toEqual(['Students 100%_off']);
    expect(await names('nothing')).toEqual([]);
    expectValidationError(await owner.get(`${phorest()}?name=${LONG_STRING.slice(0, 101)}`), 'name');
  });

  it('gets one on either path with an ETag (304), updates with the version read (409 when stale), and archives', async () => {
    const cat = await create('Regulars');
    for (const path of [phorest(), alias()]) {
      const first = await owner.get(`${path}/${cat.categoryId}`);
      expect(first.body).toEqual(cat);
      expect(first.headers.get('etag')).toBe(`"${cat.categoryId}.1"`);
      expect((await owner.get(`${path}/${cat.categoryId}`, { 'if-none-match': String(first.headers.get('etag')) })).status).toBe(304);
    }
    expect((await owner.put(`${alias()}/${cat.categoryId}`, { version: 1, name: 'Loyal regulars' })).body).toMatchObject({
      name: 'Loyal regulars',
      version: 2,
    });
    const stale = await owner.put(`${phorest()}/${cat.categoryId}`, { version: 1, name: 'Lost' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect((await owner.delete(`${phorest()}/${cat.categoryId}`)).status).toBe(204);
    const ids = async (q: string) =>
      (await owner.get(`${phorest()}${q}`)).body._embedded.clientCategories.map((c: { categoryId: string }) => c.categoryId);
    expect(await ids('?size=100')).not.toContain(cat.categoryId);
    expect(await ids('?size=100&includeArchived=true')).toContain(cat.categoryId);
    expect((await owner.get(`${alias()}/${cat.categoryId}`)).body).toMatchObject({ archived: true, version: 3 });
  });

  it.each([
    ['an unknown field', { name: 'x', clientCategoryId: UNKNOWN_ID }, 'clientCategoryId'],
    ['a wrong type', { name: 7 }, 'name'],
    ['a 10,000-character name', { name: LONG_STRING }, 'name'],
    ['a blank name', { name: ' \t ' }, 'name'],
  ])('refuses to create with %s (400) and writes nothing', async (_label, body, field) => {
    const before = await countRows(api, 'client_category', owner.businessId);
    expectValidationError(await owner.post(phorest(), body), field);
    expect(await countRows(api, 'client_category', owner.businessId)).toBe(before);
  });

  it('refuses updates without a version, with null names, and malformed ids', async () => {
    const cat = await create('Stable');
    expectValidationError(await owner.put(`${phorest()}/${cat.categoryId}`, { name: 'x' }), 'version');
    expectValidationError(await owner.put(`${phorest()}/${cat.categoryId}`, { version: 1, name: null }), 'name');
    expect((await owner.get(`${phorest()}/${cat.categoryId}`)).body).toEqual(cat);
    expect((await owner.get(`${phorest()}/not-an-id`)).status).toBe(400);
    expect((await owner.get(`${alias()}/not-an-id`)).status).toBe(400);
  });

  it('lets salon roles read, and only managers and owners write', async () => {
    const cat = await create('Roles');
    const [reception, stylist, manager] = await Promise.all(
      ['RECEPTION', 'STYLIST', 'MANAGER'].map((r) => addUser(api, owner, r as never)),
    );
    for (const user of [reception, stylist]) {
      expect((await user.get(phorest())).status).toBe(200);
      expect((await user.post(phorest(), { name: 'nope' })).status).toBe(403);
      expect((await user.put(`${alias()}/${cat.categoryId}`, { version: 1, name: 'nope' })).status).toBe(403);
      expect((await user.delete(`${phorest()}/${cat.categoryId}`)).status).toBe(403);
    }
    expect((await manager.put(`${phorest()}/${cat.categoryId}`, { version: 1, name: 'Managed' })).status).toBe(200);
  });

  it('hides other businesses: their ids answer 404 and nothing changes', async () => {
    const theirs = await create('Theirs', other);
    for (const path of [phorest(), alias()]) {
      expectNotFound(await owner.get(path.replace(owner.businessId, other.businessId)));
      expectNotFound(await owner.post(path.replace(owner.businessId, other.businessId), { name: 'hijack' }));
      expectNotFound(await owner.get(`${path}/${theirs.categoryId}`));
      expectNotFound(await owner.put(`${path}/${theirs.categoryId}`, { version: 1, name: 'hijack' }));
      expectNotFound(await owner.delete(`${path}/${theirs.categoryId}`));
      expectNotFound(await owner.get(`${path}/${UNKNOWN_ID}`));
    }
    // A service category id is not a client category, even within the business.
    const serviceCategory = (await owner.post(`${owner.branch}/service-category`, { name: 'Cuts' })).body.categoryId;
    expectNotFound(await owner.get(`${phorest()}/${serviceCategory}`));
    expect((await other.get(`${phorest(other)}/${theirs.categoryId}`)).body).toEqual(theirs);
    expect((await owner.get(phorest())).body._embedded.clientCategories.map((c: { name: string }) => c.name)).not.toContain('hijack');
  });

  it('documents every catalogue route in the OpenAPI document, both client-category paths included', async () => {
    const doc = await owner.as(undefined).get('/docs-json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths);
    const base = '/third-party-api-server/api/business/{businessId}';
    for (const path of [
      `${base}/category/client`,
      `${base}/category/client/{categoryId}`,
      `${base}/client-category`,
      `${base}/client-category/{categoryId}`,
      `${base}/branch/{branchId}/service-category/{categoryId}`,
      `${base}/branch/{branchId}/service/{serviceId}`,
      `${base}/branch/{branchId}/room/{roomId}`,
      `${base}/branch/{branchId}/machine/{machineId}`,
      `${base}/branch/{branchId}/staff-category/{staffCategoryId}`,
    ]) {
      expect(paths).toContain(path);
    }
    expect(Object.keys(doc.body.paths[`${base}/branch/{branchId}/service/{serviceId}`])).toEqual(
      expect.arrayContaining(['get', 'put', 'delete']),
    );
    expect(doc.body.components.schemas.UpdateServiceDto.required).toEqual(['version']);
  });
});
