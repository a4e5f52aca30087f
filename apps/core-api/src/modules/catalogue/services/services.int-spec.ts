import { DataSource } from 'typeorm';
import { ApiClient, addUser, createBusiness } from '../../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../../test-support/core-api-harness';
import { CatalogueQueries } from '../catalogue-queries';
import {
  auditFields,
  countRows,
  expectNotFound,
  expectValidationError,
  insertStaff,
  LONG_STRING,
  openBranch,
  UNKNOWN_ID,
} from '../test-support/catalogue-checks';

describe('services API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let owner: ApiClient;
  let other: ApiClient;
  let colour: string;
  let room: string;
  let machine: string;
  const list = (c: ApiClient = owner) => `${c.branch}/service`;
  const item = (id: string, c: ApiClient = owner) => `${list(c)}/${id}`;

  beforeAll(async () => {
    api = await startCoreApi();
    [owner, other] = await Promise.all([createBusiness(api), createBusiness(api)]);
    colour = (await owner.post(`${owner.branch}/service-category`, { name: 'Colour' })).body.categoryId;
    room = (await owner.post(`${owner.branch}/room`, { name: 'Colour bar', capacity: 2 })).body.roomId;
    machine = (await owner.post(`${owner.branch}/machine`, { name: 'Climazon' })).body.machineId;
  });
  afterAll(async () => {
    await api?.close();
  });

  async function create(body: Record<string, unknown> = {}, c: ApiClient = owner) {
    const res = await c.post(list(c), { name: 'Cut & Finish', duration: 45, price: 55, ...body });
    expect(res.status).toBe(201);
    return res.body as { serviceId: string; version: number } & Record<string, unknown>;
  }

  it('creates a service with every field and answers it in Phorest’s shape', async () => {
    const res = await owner.post(list(), {
      name: 'Full Head Colour',
      internetName: 'Full colour',
      description: 'Roots to ends, with a gloss.',
      categoryId: colour,
      duration: 120,
      gapTime: 30,
      gapStartsAfter: 40,
      bufferTime: 10,
      price: 85.5,
      onlineBookable: false,
      roomIds: [room],
      machineIds: [machine],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      serviceId: expect.stringMatching(/^[\w-]{22}$/),
      categoryId: colour,
      name: 'Full Head Colour',
      internetName: 'Full colour',
      description: 'Roots to ends, with a gloss.',
      duration: 120,
      durationMinutes: 120,
      gapTime: 30,
      gapStartsAfter: 40,
      bufferTime: 10,
      price: 85.5,
      onlineBookable: false,
      roomIds: [room],
      machineIds: [machine],
      disqualifiedStaff: [],
      ...auditFields(),
    });
    const [stored] = await api.app
      .get(DataSource)
      .query('SELECT price_minor, duration_minutes, gap_start_minutes, gap_duration_minutes FROM service WHERE id = ?', [
        res.body.serviceId,
      ]);
    expect(stored).toEqual({ price_minor: 8550, duration_minutes: 120, gap_start_minutes: 40, gap_duration_minutes: 30 });
  });

  it('fills the defaults: no gap, no buffer, online bookable, no category, rooms or machines', async () => {
    const svc = await create({ name: 'Fringe trim', duration: 5, price: 0 });
    expect(svc).toMatchObject({
      categoryId: null,
      internetName: null,
      description: null,
      duration: 5,
      gapTime: 0,
      gapStartsAfter: null,
      bufferTime: 0,
      price: 0,
      onlineBookable: true,
      roomIds: [],
      machineIds: [],
      archived: false,
    });
  });

  it('derives disqualifiedStaff: the branch’s active staff without a qualification for the service', async () => {
    const biz = await createBusiness(api);
    const svc = await create({}, biz);
    const qualified = await insertStaff(api, biz, { qualifiedFor: [svc.serviceId] });
    const unqualified = await insertStaff(api, biz);
    await insertStaff(api, biz, { archived: true });
    await insertStaff(api, biz, { branchId: await openBranch(biz) });
    const got = await biz.get(item(svc.serviceId, biz));
    expect(got.body.disqualifiedStaff).toEqual([unqualified]);
    expect(got.body.disqualifiedStaff).not.toContain(qualified);
    const listed = await biz.get(list(biz));
    expect(listed.body._embedded.services[0].disqualifiedStaff).toEqual([unqualified]);
  });

  it('lists by name in pages, filters by category_id, updatedAfter and includeArchived', async () => {
    const biz = await createBusiness(api);
    const cat = (await biz.post(`${biz.branch}/service-category`, { name: 'Cuts' })).body.categoryId;
    const b = await create({ name: 'B cut', categoryId: cat }, biz);
    const a = await create({ name: 'A cut', categoryId: cat }, biz);
    await create({ name: 'C colour' }, biz);
    const names = (res: { body: { _embedded: { services: { name: string }[] } } }) => res.body._embedded.services.map((s) => s.name);
    const page0 = await biz.get(`${list(biz)}?size=2`);
    expect(page0.body.page).toEqual({ size: 2, totalElements: 3, totalPages: 2, number: 0 });
    expect(names(page0)).toEqual(['A cut', 'B cut']);
    expect(names(await biz.get(`${list(biz)}?size=2&page=1`))).toEqual(['C colour']);
    expect(names(await biz.get(`${list(biz)}?category_id=${cat}`))).toEqual(['A cut', 'B cut']);
    await new Promise((r) => setTimeout(r, 5));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await biz.put(item(b.serviceId, biz), { version: 1, price: 60 });
    expect(names(await biz.get(`${list(biz)}?updatedAfter=${since}`))).toEqual(['B cut']);
    expect((await biz.delete(item(a.serviceId, biz))).status).toBe(204);
    expect(names(await biz.get(list(biz)))).toEqual(['B cut', 'C colour']);
    expect(names(await biz.get(`${list(biz)}?includeArchived=true`))).toEqual(['A cut', 'B cut', 'C colour']);
    expect((await biz.get(item(a.serviceId, biz))).body).toMatchObject({ archived: true, version: 2 });
    expectValidationError(await biz.get(`${list(biz)}?updatedAfter=yesterday`), 'updatedAfter');
    expectValidationError(await biz.get(`${list(biz)}?category_id=nope`), 'category_id');
    expectNotFound(await biz.get(`${list(biz)}?category_id=${colour}`));
  });

  it('gets one with an ETag and answers 304 to If-None-Match', async () => {
    const svc = await create();
    const first = await owner.get(item(svc.serviceId));
    expect(first.body).toEqual(svc);
    const etag = first.headers.get('etag');
    expect(etag).toBe(`"${svc.serviceId}.1"`);
    expect((await owner.get(item(svc.serviceId), { 'if-none-match': String(etag) })).status).toBe(304);
  });

  it('updates partially with the version read (absent fields unchanged, null clears, lists replace) and answers 409 when stale', async () => {
    const svc = await create({
      categoryId: colour,
      internetName: 'Online',
      roomIds: [room],
      machineIds: [machine],
      duration: 60,
      gapTime: 20,
      gapStartsAfter: 15,
    });
    const updated = await owner.put(item(svc.serviceId), { version: 1, price: 59.99, categoryId: null, internetName: null, roomIds: [] });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({
      ...svc,
      price: 59.99,
      categoryId: null,
      internetName: null,
      roomIds: [],
      version: 2,
      updatedAt: expect.any(String),
    });
    const stale = await owner.put(item(svc.serviceId), { version: 1, price: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect((await owner.get(item(svc.serviceId))).body).toMatchObject({ price: 59.99, version: 2 });
    const noGap = await owner.put(item(svc.serviceId), { version: 2, gapTime: 0 });
    expect(noGap.body).toMatchObject({ gapTime: 0, gapStartsAfter: null, duration: 60, version: 3 });
    // The reference's durationMinutes follows duration.
    const longer = await owner.put(item(svc.serviceId), { version: 3, duration: 75 });
    expect(longer.body).toMatchObject({ duration: 75, durationMinutes: 75, version: 4 });
    const listed = (await owner.get(`${list()}?size=100`)).body._embedded.services.find((x: { serviceId: string }) => x.serviceId === svc.serviceId);
    expect(listed).toMatchObject({ duration: 75, durationMinutes: 75 });
  });

  it.each([
    ['a gap without its start', { duration: 60, gapTime: 20 }, 'gapStartsAfter'],
    ['a gap reaching the end', { duration: 60, gapTime: 20, gapStartsAfter: 40 }, 'gapTime'],
    ['a gap at the very start', { duration: 60, gapTime: 20, gapStartsAfter: 0 }, 'gapStartsAfter'],
    ['a gap start without a gap', { duration: 60, gapStartsAfter: 10 }, 'gapStartsAfter'],
    ['a duration under 5', { duration: 4 }, 'duration'],
    ['a duration over 720', { duration: 721 }, 'duration'],
    ['a fractional duration', { duration: 30.5 }, 'duration'],
    ['a buffer over 240', { bufferTime: 241 }, 'bufferTime'],
    ['a negative buffer', { bufferTime: -1 }, 'bufferTime'],
    ['a negative price', { price: -1 }, 'price'],
    ['too many price decimals', { price: 12.345 }, 'price'],
    ['a price as a string', { price: '12.00' }, 'price'],
    ['a duration as a string', { duration: '60' }, 'duration'],
    ['a 10,000-character name', { name: LONG_STRING }, 'name'],
    ['a 10,000-character description', { description: LONG_STRING }, 'description'],
    ['an unknown field', { businessId: 'x' }, 'businessId'],
    ['a disqualifiedStaff list (derived, read-only)', { disqualifiedStaff: [] }, 'disqualifiedStaff'],
    ['a malformed room id', { roomIds: ['nope'] }, 'roomIds'],
    ['roomIds not a list', { roomIds: 'x' }, 'roomIds'],
    ['a repeated machine id', { machineIds: [UNKNOWN_ID, UNKNOWN_ID] }, 'machineIds'],
    ['a malformed category id', { categoryId: 42 }, 'categoryId'],
    ['onlineBookable as a string', { onlineBookable: 'yes' }, 'onlineBookable'],
  ])('refuses to create with %s (400 naming the field) and writes nothing', async (_label, patch, field) => {
    const before = await countRows(api, 'service', owner.businessId);
    expectValidationError(await owner.post(list(), { name: 'Bad', duration: 30, price: 10, ...patch }), field);
    expect(await countRows(api, 'service', owner.businessId)).toBe(before);
  });

  it('checks prices against the branch currency’s decimals', async () => {
    const yen = await createBusiness(api, { currency: 'JPY', country: 'JP', timeZone: 'Asia/Tokyo' });
    expectValidationError(await yen.post(list(yen), { name: 'Cut', duration: 30, price: 4500.5 }), 'price');
    expect((await create({ price: 4500 }, yen)).price).toBe(4500);
  });

  it.each([
    ['no version', { price: 1 }, 'version'],
    ['a null name', { version: 1, name: null }, 'name'],
    ['a null duration', { version: 1, duration: null }, 'duration'],
    ['a duration too short for the gap', { version: 1, duration: 40 }, 'gapTime'],
    ['a gap start pushing the gap past the end', { version: 1, gapStartsAfter: 45 }, 'gapTime'],
    ['too many price decimals', { version: 1, price: 0.001 }, 'price'],
    ['a serviceId', { version: 1, serviceId: UNKNOWN_ID }, 'serviceId'],
  ])('refuses to update with %s (400) and changes nothing', async (_label, body, field) => {
    const svc = await create({ duration: 60, gapTime: 20, gapStartsAfter: 20 });
    expectValidationError(await owner.put(item(svc.serviceId), body), field);
    expect((await owner.get(item(svc.serviceId))).body).toEqual(svc);
  });

  it('refuses archived rooms with 400, and rooms, machines or categories of another branch with 404', async () => {
    const archivedRoom = (await owner.post(`${owner.branch}/room`, { name: 'Old room' })).body.roomId;
    await owner.delete(`${owner.branch}/room/${archivedRoom}`);
    expectValidationError(await owner.post(list(), { name: 'x', duration: 30, price: 1, roomIds: [archivedRoom] }), 'roomIds');
    const second = await openBranch(owner);
    const roomThere = (await owner.post(`${owner.business}/branch/${second}/room`, { name: 'There' })).body.roomId;
    const before = await countRows(api, 'service', owner.businessId);
    expectNotFound(await owner.post(list(), { name: 'x', duration: 30, price: 1, roomIds: [room, roomThere] }));
    expect(await countRows(api, 'service', owner.businessId)).toBe(before);
    const svc = await create();
    expectNotFound(await owner.get(`${owner.business}/branch/${second}/service/${svc.serviceId}`));
    expectNotFound(await owner.put(`${owner.business}/branch/${second}/service/${svc.serviceId}`, { version: 1, price: 1 }));
    expectNotFound(await owner.delete(`${owner.business}/branch/${second}/service/${svc.serviceId}`));
    expect((await owner.get(item(svc.serviceId))).body).toEqual(svc);
  });

  it('refuses malformed ids with 400', async () => {
    expect((await owner.get(`${list()}/not-an-id`)).status).toBe(400);
    expect((await owner.put(`${list()}/not-an-id`, { version: 1 })).status).toBe(400);
    expect((await owner.delete(`${list()}/not-an-id`)).status).toBe(400);
    expectValidationError(await owner.get(`${list()}?size=0`), 'size');
  });

  it('lets every salon role and the booking site read, but only managers and owners write', async () => {
    const svc = await create();
    const [reception, stylist, manager, service] = await Promise.all(
      ['RECEPTION', 'STYLIST', 'MANAGER', 'SERVICE'].map((r) => addUser(api, owner, r as never)),
    );
    for (const reader of [reception, stylist, service]) {
      expect((await reader.get(list())).status).toBe(200);
      expect((await reader.get(item(svc.serviceId))).status).toBe(200);
    }
    for (const writer of [reception, stylist, service]) {
      expect((await writer.post(list(), { name: 'nope', duration: 30, price: 1 })).status).toBe(403);
      expect((await writer.put(item(svc.serviceId), { version: 1, price: 1 })).status).toBe(403);
      expect((await writer.delete(item(svc.serviceId))).status).toBe(403);
    }
    expect((await manager.put(item(svc.serviceId), { version: 1, price: 60 })).status).toBe(200);
  });

  it('hides other businesses: their ids in the path or the body answer 404 and nothing is written', async () => {
    const theirCategory = (await other.post(`${other.branch}/service-category`, { name: 'Theirs' })).body.categoryId;
    const theirRoom = (await other.post(`${other.branch}/room`, { name: 'Theirs' })).body.roomId;
    const theirMachine = (await other.post(`${other.branch}/machine`, { name: 'Theirs' })).body.machineId;
    const theirs = await create({ name: 'Their service' }, other);
    const mine = await create();
    const before = await countRows(api, 'service', owner.businessId);
    expectNotFound(await owner.get(list(other)));
    expectNotFound(await owner.get(`${owner.business}/branch/${other.branchId}/service`));
    expectNotFound(await owner.post(`${owner.business}/branch/${other.branchId}/service`, { name: 'x', duration: 30, price: 1 }));
    expectNotFound(await owner.get(item(theirs.serviceId)));
    expectNotFound(await owner.put(item(theirs.serviceId), { version: 1, price: 1 }));
    expectNotFound(await owner.delete(item(theirs.serviceId)));
    expectNotFound(await owner.get(`${list()}?category_id=${theirCategory}`));
    for (const patch of [
      { categoryId: theirCategory },
      { roomIds: [theirRoom] },
      { machineIds: [theirMachine] },
      { roomIds: [room, theirRoom] },
    ]) {
      expectNotFound(await owner.post(list(), { name: 'x', duration: 30, price: 1, ...patch }));
      expectNotFound(await owner.put(item(mine.serviceId), { version: 1, name: 'changed', ...patch }));
    }
    expect(await countRows(api, 'service', owner.businessId)).toBe(before);
    expect((await owner.get(item(mine.serviceId))).body).toEqual(mine);
    expect((await other.get(item(theirs.serviceId, other))).body).toEqual(theirs);
  });

  it('gives scheduling the services with their rules and the branch’s rooms and machines (CatalogueQueries)', async () => {
    const biz = await createBusiness(api);
    const r1 = (await biz.post(`${biz.branch}/room`, { name: 'R1', capacity: 3 })).body.roomId;
    const m1 = (await biz.post(`${biz.branch}/machine`, { name: 'M1' })).body.machineId;
    const gone = (await biz.post(`${biz.branch}/machine`, { name: 'Gone' })).body.machineId;
    await biz.delete(`${biz.branch}/machine/${gone}`);
    const withGap = await create(
      { name: 'Colour', duration: 90, gapTime: 30, gapStartsAfter: 30, bufferTime: 10, price: 80, roomIds: [r1], machineIds: [m1] },
      biz,
    );
    const plain = await create({ name: 'Blow-dry', duration: 30, price: 25.5, onlineBookable: false }, biz);
    const archived = await create({ name: 'Old' }, biz);
    await biz.delete(item(archived.serviceId, biz));
    await create({ name: 'Theirs' }, other);
    const queries = api.app.get(CatalogueQueries);

    const all = await queries.loadServiceRules(biz.businessId, biz.branchId);
    expect(all.map((s) => s.name)).toEqual(['Blow-dry', 'Colour']);
    expect(all[1]).toEqual({
      id: withGap.serviceId,
      name: 'Colour',
      internetName: null,
      categoryId: null,
      durationMinutes: 90,
      gap: { startAfterMinutes: 30, durationMinutes: 30 },
      bufferAfterMinutes: 10,
      onlineBookable: true,
      roomIds: [r1],
      machineIds: [m1],
      priceMinor: 8000,
      archived: false,
    });
    expect(all[0]).toMatchObject({
      id: plain.serviceId,
      durationMinutes: 30,
      bufferAfterMinutes: 0,
      onlineBookable: false,
      priceMinor: 2550,
      roomIds: [],
      machineIds: [],
    });
    expect(all[0].gap).toBeUndefined();

    expect(
      (await queries.loadServiceRules(biz.businessId, biz.branchId, [plain.serviceId, archived.serviceId, UNKNOWN_ID])).map((s) => s.id),
    ).toEqual([plain.serviceId]);
    expect(
      (await queries.loadServiceRules(biz.businessId, biz.branchId, [archived.serviceId], { includeArchived: true }))[0],
    ).toMatchObject({ archived: true });
    expect(await queries.loadServiceRules(biz.businessId, biz.branchId, [])).toEqual([]);
    expect(await queries.loadServiceRules(other.businessId, biz.branchId)).toEqual([]);

    expect(await queries.loadResources(biz.businessId, biz.branchId)).toEqual({
      rooms: [{ id: r1, capacity: 3, usages: [] }],
      machines: [{ id: m1, capacity: 1, usages: [] }],
    });
  });
});
