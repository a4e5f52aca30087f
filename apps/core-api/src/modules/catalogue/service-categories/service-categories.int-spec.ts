import { ApiClient, addUser, createBusiness } from '../../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../../test-support/core-api-harness';
import { auditFields, expectNotFound, expectValidationError, LONG_STRING, UNKNOWN_ID } from '../test-support/catalogue-checks';

describe('service categories API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let owner: ApiClient;
  let other: ApiClient;
  const list = (c: ApiClient = owner) => `${c.branch}/service-category`;

  beforeAll(async () => {
    api = await startCoreApi();
    [owner, other] = await Promise.all([createBusiness(api), createBusiness(api)]);
  });
  afterAll(async () => {
    await api?.close();
  });

  async function create(name: string, sortOrder?: number, c: ApiClient = owner) {
    const res = await c.post(list(c), sortOrder === undefined ? { name } : { name, sortOrder });
    expect(res.status).toBe(201);
    return res.body as { categoryId: string; version: number; name: string };
  }

  it('creates categories with Phorest’s fields and lists them by sortOrder, then name, in pages', async () => {
    const res = await owner.post(list(), { name: 'Cuts', sortOrder: 2 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ categoryId: expect.stringMatching(/^[\w-]{22}$/), name: 'Cuts', sortOrder: 2, ...auditFields() });
    await create('Colour', 1);
    await create('Blow-dry', 1);
    const page0 = await owner.get(`${list()}?size=2&page=0`);
    expect(page0.status).toBe(200);
    expect(page0.body.page).toEqual({ size: 2, totalElements: 3, totalPages: 2, number: 0 });
    expect(page0.body._embedded.serviceCategories.map((c: { name: string }) => c.name)).toEqual(['Blow-dry', 'Colour']);
    const page1 = await owner.get(`${list()}?size=2&page=1`);
    expect(page1.body._embedded.serviceCategories.map((c: { name: string }) => c.name)).toEqual(['Cuts']);
    expect((await owner.get(list())).body.page).toEqual({ size: 20, totalElements: 3, totalPages: 1, number: 0 });
  });

  it('defaults sortOrder to 0', async () => {
    const fresh = await createBusiness(api);
    expect((await create('Treatments', undefined, fresh)) as unknown).toMatchObject({ sortOrder: 0 });
  });

  it('gets one with an ETag and answers 304 to If-None-Match', async () => {
    const cat = await create('Kids');
    const first = await owner.get(`${list()}/${cat.categoryId}`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ ...cat });
    const etag = first.headers.get('etag');
    expect(etag).toBe(`"${cat.categoryId}.1"`);
    expect((await owner.get(`${list()}/${cat.categoryId}`, { 'if-none-match': String(etag) })).status).toBe(304);
  });

  it('updates partially with the version read, and answers 409 with the current version when stale', async () => {
    const cat = await create('Styling', 5);
    const updated = await owner.put(`${list()}/${cat.categoryId}`, { version: 1, name: 'Styling & finish' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Styling & finish', sortOrder: 5, version: 2 });
    const stale = await owner.put(`${list()}/${cat.categoryId}`, { version: 1, sortOrder: 9 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect((await owner.get(`${list()}/${cat.categoryId}`)).body).toMatchObject({ sortOrder: 5, version: 2 });
  });

  it('archives with DELETE (204): hidden from the list unless includeArchived, restorable with archived=false', async () => {
    const cat = await create('Seasonal');
    expect((await owner.delete(`${list()}/${cat.categoryId}`)).status).toBe(204);
    const ids = async (query: string) =>
      (await owner.get(`${list()}${query}`)).body._embedded.serviceCategories.map((c: { categoryId: string }) => c.categoryId);
    expect(await ids('')).not.toContain(cat.categoryId);
    expect(await ids('?includeArchived=true&size=100')).toContain(cat.categoryId);
    const archived = await owner.get(`${list()}/${cat.categoryId}`);
    expect(archived.body).toMatchObject({ archived: true, version: 2 });
    const restored = await owner.put(`${list()}/${cat.categoryId}`, { version: 2, archived: false });
    expect(restored.body).toMatchObject({ archived: false, version: 3 });
    expect(await ids('?size=100')).toContain(cat.categoryId);
  });

  it.each([
    ['an unknown field', { name: 'x', businessId: 'x' }, 'businessId'],
    ['a wrong type', { name: 42 }, 'name'],
    ['a 10,000-character name', { name: LONG_STRING }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a missing name', {}, 'name'],
    ['a negative sortOrder', { name: 'x', sortOrder: -1 }, 'sortOrder'],
    ['a fractional sortOrder', { name: 'x', sortOrder: 1.5 }, 'sortOrder'],
    ['a huge sortOrder', { name: 'x', sortOrder: 10_000_000 }, 'sortOrder'],
  ])('refuses to create with %s (400 naming the field) and writes nothing', async (_label, body, field) => {
    const before = (await owner.get(`${list()}?includeArchived=true`)).body.page.totalElements;
    expectValidationError(await owner.post(list(), body), field);
    expect((await owner.get(`${list()}?includeArchived=true`)).body.page.totalElements).toBe(before);
  });

  it.each([
    ['no version', { name: 'x' }, 'version'],
    ['a null name', { version: 1, name: null }, 'name'],
    ['a createdAt', { version: 1, createdAt: '2020-01-01T00:00:00.000Z' }, 'createdAt'],
    ['a categoryId', { version: 1, categoryId: UNKNOWN_ID }, 'categoryId'],
  ])('refuses to update with %s (400) and changes nothing', async (_label, body, field) => {
    const cat = await create('Unchanged');
    expectValidationError(await owner.put(`${list()}/${cat.categoryId}`, body), field);
    expect((await owner.get(`${list()}/${cat.categoryId}`)).body).toMatchObject({ name: 'Unchanged', version: 1 });
  });

  it('refuses malformed ids and page sizes over 100 with 400', async () => {
    expect((await owner.get(`${list()}/not-an-id`)).status).toBe(400);
    expect((await owner.put(`${list()}/not-an-id`, { version: 1 })).status).toBe(400);
    expect((await owner.delete(`${list()}/not-an-id`)).status).toBe(400);
    expect((await owner.get(`${owner.business}/branch/nope/service-category`)).status).toBe(400);
    expectValidationError(await owner.get(`${list()}?size=101`), 'size');
  });

  it('lets every salon role and the booking site read, but only managers and owners write', async () => {
    const cat = await create('Roles');
    const [reception, stylist, manager, service] = await Promise.all(
      ['RECEPTION', 'STYLIST', 'MANAGER', 'SERVICE'].map((r) => addUser(api, owner, r as never)),
    );
    for (const reader of [reception, stylist, service]) {
      expect((await reader.get(list())).status).toBe(200);
      expect((await reader.get(`${list()}/${cat.categoryId}`)).status).toBe(200);
    }
    for (const writer of [reception, stylist, service]) {
      const denied = await writer.post(list(), { name: 'nope' });
      expect({ status: denied.status, code: denied.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect((await writer.put(`${list()}/${cat.categoryId}`, { version: 1, name: 'nope' })).status).toBe(403);
      expect((await writer.delete(`${list()}/${cat.categoryId}`)).status).toBe(403);
    }
    expect((await manager.put(`${list()}/${cat.categoryId}`, { version: 1, name: 'Managed' })).status).toBe(200);
  });

  it('hides other businesses: their business, branch and category ids answer 404 and nothing changes', async () => {
    const theirs = await create('Theirs', 0, other);
    expectNotFound(await owner.get(list(other)));
    expectNotFound(await owner.post(list(other), { name: 'hijack' }));
    expectNotFound(await owner.get(`${owner.business}/branch/${other.branchId}/service-category`));
    expectNotFound(await owner.post(`${owner.business}/branch/${other.branchId}/service-category`, { name: 'hijack' }));
    expectNotFound(await owner.get(`${list()}/${theirs.categoryId}`));
    expectNotFound(await owner.put(`${list()}/${theirs.categoryId}`, { version: 1, name: 'hijack' }));
    expectNotFound(await owner.delete(`${list()}/${theirs.categoryId}`));
    expectNotFound(await owner.get(`${list()}/${UNKNOWN_ID}`));
    expect((await other.get(`${list(other)}/${theirs.categoryId}`)).body).toMatchObject({ name: 'Theirs', archived: false, version: 1 });
    expect((await other.get(list(other))).body.page.totalElements).toBe(1);
  });
});
