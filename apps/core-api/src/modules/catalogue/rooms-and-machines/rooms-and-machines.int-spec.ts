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

describe('rooms and machines API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let owner: ApiClient;
  let other: ApiClient;

  beforeAll(async () => {
    api = await startCoreApi();
    [owner, other] = await Promise.all([createBusiness(api), createBusiness(api)]);
  });
  afterAll(async () => {
    await api?.close();
  });

  describe.each([
    { kind: 'room', idField: 'roomId', key: 'rooms' },
    { kind: 'machine', idField: 'machineId', key: 'machines' },
  ])('$kind', ({ kind, idField, key }) => {
    const list = (c: ApiClient = owner) => `${c.branch}/${kind}`;
    const item = (id: string, c: ApiClient = owner) => `${list(c)}/${id}`;
    const ids = (res: { body: { _embedded: Record<string, Record<string, string>[]> } }) => res.body._embedded[key].map((r) => r[idField]);

    async function create(body: Record<string, unknown> = {}, c: ApiClient = owner) {
      const res = await c.post(list(c), { name: `A ${kind}`, ...body });
      expect(res.status).toBe(201);
      return res.body as Record<string, unknown> & { version: number };
    }
    const idOf = (entity: Record<string, unknown>) => entity[idField] as string;

    it('creates with a capacity (default 1) and lists by name in pages', async () => {
      const res = await owner.post(list(), { name: 'Beta', capacity: 3 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ [idField]: expect.stringMatching(/^[\w-]{22}$/), name: 'Beta', capacity: 3, ...auditFields() });
      const alpha = await create({ name: 'Alpha' });
      expect(alpha.capacity).toBe(1);
      await create({ name: 'Gamma' });
      const page0 = await owner.get(`${list()}?size=2`);
      expect(page0.status).toBe(200);
      expect(page0.body.page).toEqual({ size: 2, totalElements: 3, totalPages: 2, number: 0 });
      expect(page0.body._embedded[key].map((r: { name: string }) => r.name)).toEqual(['Alpha', 'Beta']);
      expect((await owner.get(`${list()}?size=2&page=1`)).body._embedded[key].map((r: { name: string }) => r.name)).toEqual(['Gamma']);
    });

    it('filters by updated_from and hides archived entries unless includeArchived', async () => {
      const biz = await createBusiness(api);
      const a = await create({ name: 'A' }, biz);
      const b = await create({ name: 'B' }, biz);
      await new Promise((r) => setTimeout(r, 5));
      const since = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 5));
      expect((await biz.put(item(idOf(b), biz), { version: 1, capacity: 4 })).status).toBe(200);
      expect(ids(await biz.get(`${list(biz)}?updated_from=${since}`))).toEqual([idOf(b)]);
      expect((await biz.delete(item(idOf(a), biz))).status).toBe(204);
      expect(ids(await biz.get(list(biz)))).toEqual([idOf(b)]);
      expect(ids(await biz.get(`${list(biz)}?includeArchived=true`))).toEqual([idOf(a), idOf(b)]);
      expect((await biz.get(item(idOf(a), biz))).body).toMatchObject({ archived: true, version: 2 });
      const restored = await biz.put(item(idOf(a), biz), { version: 2, archived: false });
      expect(restored.body).toMatchObject({ archived: false, version: 3 });
      expectValidationError(await biz.get(`${list(biz)}?updated_from=last-week`), 'updated_from');
      expectValidationError(await biz.get(`${list(biz)}?includeArchived=maybe`), 'includeArchived');
    });

    it('gets one with an ETag and answers 304 to If-None-Match', async () => {
      const entity = await create();
      const first = await owner.get(item(idOf(entity)));
      expect(first.body).toEqual(entity);
      const etag = first.headers.get('etag');
      expect(etag).toBe(`"${idOf(entity)}.1"`);
      expect((await owner.get(item(idOf(entity)), { 'if-none-match': String(etag) })).status).toBe(304);
    });

    it('updates partially with the version read, and answers 409 with the current version when stale', async () => {
      const entity = await create({ name: 'Before', capacity: 2 });
      const updated = await owner.put(item(idOf(entity)), { version: 1, name: 'After' });
      expect(updated.body).toMatchObject({ name: 'After', capacity: 2, version: 2 });
      const stale = await owner.put(item(idOf(entity)), { version: 1, capacity: 5 });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
      expect((await owner.get(item(idOf(entity)))).body).toMatchObject({ capacity: 2, version: 2 });
    });

    it.each([
      ['a capacity of 0', { capacity: 0 }, 'capacity'],
      ['a capacity over 100', { capacity: 101 }, 'capacity'],
      ['a fractional capacity', { capacity: 1.5 }, 'capacity'],
      ['a capacity as a string', { capacity: '2' }, 'capacity'],
      ['a 10,000-character name', { name: LONG_STRING }, 'name'],
      ['a wrong type', { name: ['x'] }, 'name'],
      ['an unknown field', { branchId: UNKNOWN_ID }, 'branchId'],
    ])('refuses to create with %s (400 naming the field) and writes nothing', async (_label, patch, field) => {
      const before = await countRows(api, kind, owner.businessId);
      expectValidationError(await owner.post(list(), { name: 'Bad', ...patch }), field);
      expect(await countRows(api, kind, owner.businessId)).toBe(before);
    });

    it.each([
      ['no version', { capacity: 2 }, 'version'],
      ['a stringly version', { version: '1' }, 'version'],
      ['a null capacity', { version: 1, capacity: null }, 'capacity'],
      ['a version field plus an id', { version: 1, [idField]: UNKNOWN_ID }, idField],
    ])('refuses to update with %s (400) and changes nothing', async (_label, body, field) => {
      const entity = await create();
      expectValidationError(await owner.put(item(idOf(entity)), body), field);
      expect((await owner.get(item(idOf(entity)))).body).toEqual(entity);
    });

    it('refuses malformed ids with 400', async () => {
      expect((await owner.get(`${list()}/not-an-id`)).status).toBe(400);
      expect((await owner.put(`${list()}/${'x'.repeat(23)}`, { version: 1 })).status).toBe(400);
      expect((await owner.delete(`${list()}/not-an-id`)).status).toBe(400);
    });

    it('lets every salon role and the booking site read, but only managers and owners write', async () => {
      const entity = await create();
      const [reception, stylist, service] = await Promise.all(
        ['RECEPTION', 'STYLIST', 'SERVICE'].map((r) => addUser(api, owner, r as never)),
      );
      for (const reader of [reception, stylist, service]) {
        expect((await reader.get(list())).status).toBe(200);
        expect((await reader.get(item(idOf(entity)))).status).toBe(200);
      }
      for (const writer of [reception, stylist, service]) {
        expect((await writer.post(list(), { name: 'nope' })).status).toBe(403);
        expect((await writer.put(item(idOf(entity)), { version: 1, name: 'nope' })).status).toBe(403);
        expect((await writer.delete(item(idOf(entity)))).status).toBe(403);
      }
      expect((await owner.get(item(idOf(entity)))).body).toEqual(entity);
    });

    it('hides other businesses and other branches: their ids answer 404 and nothing changes', async () => {
      const theirs = await create({ name: 'Theirs' }, other);
      expectNotFound(await owner.get(list(other)));
      expectNotFound(await owner.get(`${owner.business}/branch/${other.branchId}/${kind}`));
      expectNotFound(await owner.post(`${owner.business}/branch/${other.branchId}/${kind}`, { name: 'hijack' }));
      expectNotFound(await owner.get(item(idOf(theirs))));
      expectNotFound(await owner.put(item(idOf(theirs)), { version: 1, name: 'hijack' }));
      expectNotFound(await owner.delete(item(idOf(theirs))));
      expectNotFound(await owner.get(item(UNKNOWN_ID)));
      expect((await other.get(item(idOf(theirs), other))).body).toEqual(theirs);

      const second = await openBranch(owner);
      const mine = await create();
      const there = `${owner.business}/branch/${second}/${kind}/${idOf(mine)}`;
      expectNotFound(await owner.get(there));
      expectNotFound(await owner.put(there, { version: 1, name: 'moved' }));
      expectNotFound(await owner.delete(there));
      expect((await owner.get(item(idOf(mine)))).body).toEqual(mine);
    });
  });
});
