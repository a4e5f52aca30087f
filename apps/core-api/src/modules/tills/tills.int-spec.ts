import { ApiClient, addUser } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { auditFields, expectNotFound, expectValidationError } from '../catalogue/test-support/catalogue-checks';
import { createRetailSalon, issueVoucher, nextNumber, RetailSalon } from '../retail/test-support/retail-salon';

describe('tills API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let salon: RetailSalon;
  let other: RetailSalon;
  let owner: ApiClient;
  const tills = (c: ApiClient = owner) => `${c.branch}/till`;

  beforeAll(async () => {
    api = await startCoreApi();
    salon = await createRetailSalon(api);
    other = await createRetailSalon(api);
    owner = salon.owner;
  });
  afterAll(async () => {
    await api?.close();
  });

  const till = async (name = 'Front desk', c: ApiClient = owner) => {
    const res = await c.post(tills(c), { name });
    expect(res.status).toBe(201);
    return res.body.tillId as string;
  };
  const sell = (body: Record<string, unknown>) => owner.post(`${owner.branch}/purchase`, { number: nextNumber(), ...body });

  it('adds a till and shows its open session', async () => {
    const res = await owner.post(tills(), { name: 'Desk 1' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ tillId: expect.stringMatching(/^[\w-]{22}$/), name: 'Desk 1', currentSession: null, ...auditFields() });
    const opened = await owner.post(`${tills()}/${res.body.tillId}/open`, { openingFloat: 100 });
    expect((await owner.get(`${tills()}/${res.body.tillId}`)).body.currentSession).toEqual({
      tillSessionId: opened.body.tillSessionId,
      openedAt: expect.any(String),
    });
    expect((await owner.get(tills())).body._embedded.tills.map((t: { tillId: string }) => t.tillId)).toContain(res.body.tillId);
    await owner.post(`${tills()}/${res.body.tillId}/close`, { countedCash: 100 });
    const renamed = await owner.put(`${tills()}/${res.body.tillId}`, { version: 1, name: 'Desk one' });
    expect(renamed.body).toMatchObject({ name: 'Desk one', version: 2, currentSession: null });
  });

  it('balances a session: expected against counted by tender (float + cash taken − cash refunded), one open session per till', async () => {
    const id = await till('Balance desk');
    const open = await owner.post(`${tills()}/${id}/open`, { openingFloat: 150 });
    expect(open.status).toBe(201);
    expect(open.body).toMatchObject({
      tillId: id,
      status: 'OPEN',
      openingFloat: 150,
      expectedCash: 150,
      countedCash: null,
      cashVariance: null,
      integratedPaymentBalances: [],
    });
    const again = await owner.post(`${tills()}/${id}/open`, { openingFloat: 10 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TILL_ALREADY_OPEN');

    const voucher = await issueVoucher(owner, 20);
    // Cash 42 for 50 handed over (8 change), a card sale, a split with a voucher, and a cash refund of 24.50.
    expect(
      (await sell({ tillId: id, items: [{ itemType: 'TIP', price: 42 }], payments: [{ type: 'CASH', amount: 50 }] })).body.changeDue,
    ).toBe(8);
    expect((await sell({ tillId: id, items: [{ serviceId: salon.services.cut }], payments: [{ type: 'CARD', amount: 55 }] })).status).toBe(
      201,
    );
    const split = await sell({
      tillId: id,
      items: [{ productId: salon.products.shampoo }],
      payments: [
        { type: 'VOUCHER', amount: 20, voucherId: voucher.voucherId },
        { type: 'CASH', amount: 5 },
      ],
    });
    expect(split.body).toMatchObject({ tillId: id, tillSessionId: open.body.tillSessionId, changeDue: 0.5 });
    const refund = await owner.post(`${owner.branch}/purchase/${split.body.purchaseId}/refund`, {
      number: nextNumber('RF'),
      tillId: id,
      payments: [{ type: 'CASH', amount: 24.5 }],
    });
    expect(refund.status).toBe(201);

    const balance = await owner.get(`${tills()}/${id}/balance`);
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({
      tillId: id,
      tillSessionId: open.body.tillSessionId,
      status: 'OPEN',
      currencyCode: 'EUR',
      openingFloat: 150,
      expectedCash: 172, // 150 + 42 + 4.50 − 24.50
      countedCash: null,
      tenders: [
        { type: 'CASH', expected: 172, counted: null, variance: null },
        { type: 'CARD', expected: 55, counted: null, variance: null },
        { type: 'VOUCHER', expected: 20, counted: null, variance: null },
      ],
    });

    const closed = await owner.post(`${tills()}/${id}/close`, {
      countedCash: 170.5,
      counted: [{ type: 'CARD', amount: 55 }],
      note: 'Short 1.50',
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: 'CLOSED',
      expectedCash: 172,
      countedCash: 170.5,
      cashVariance: -1.5,
      note: 'Short 1.50',
      closedAt: expect.any(String),
      tenders: [
        { type: 'CASH', expected: 172, counted: 170.5, variance: -1.5 },
        { type: 'CARD', expected: 55, counted: 55, variance: 0 },
        { type: 'VOUCHER', expected: 20, counted: null, variance: null },
      ],
    });
    // A closed till takes no purchases and cannot close twice; its last balance stays readable.
    const late = await sell({ tillId: id, items: [{ itemType: 'TIP', price: 1 }], payments: [{ type: 'CASH', amount: 1 }] });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('TILL_NOT_OPEN');
    expect((await owner.post(`${tills()}/${id}/close`, { countedCash: 0 })).body.code).toBe('TILL_NOT_OPEN');
    expect((await owner.get(`${tills()}/${id}/balance`)).body).toMatchObject({
      tillSessionId: open.body.tillSessionId,
      status: 'CLOSED',
      cashVariance: -1.5,
    });

    const reopened = await owner.post(`${tills()}/${id}/open`, { openingFloat: 100 });
    expect(reopened.status).toBe(201);
    expect((await owner.get(`${tills()}/${id}/balance`)).body).toMatchObject({
      tillSessionId: reopened.body.tillSessionId,
      expectedCash: 100,
    });
    const past = await owner.get(`${tills()}/${id}/balance?tillSessionId=${open.body.tillSessionId}`);
    expect(past.body).toMatchObject({ status: 'CLOSED', expectedCash: 172 });
    const sessions = await owner.get(`${tills()}/${id}/session`);
    expect(sessions.body._embedded.tillSessions.map((s: { status: string }) => s.status)).toEqual(['OPEN', 'CLOSED']);
    await owner.post(`${tills()}/${id}/close`, { countedCash: 100 });
  });

  it('counts a purchase without a tillId to the branch’s only open session, and to none when several are open', async () => {
    const a = await till('Only one');
    const session = (await owner.post(`${tills()}/${a}/open`, {})).body.tillSessionId;
    const sale = await sell({ items: [{ itemType: 'TIP', price: 3 }], payments: [{ type: 'CASH', amount: 3 }] });
    expect(sale.body).toMatchObject({ tillId: a, tillSessionId: session });
    const b = await till('Second');
    await owner.post(`${tills()}/${b}/open`, {});
    const unattached = await sell({ items: [{ itemType: 'TIP', price: 3 }], payments: [{ type: 'CASH', amount: 3 }] });
    expect(unattached.body).toMatchObject({ tillId: null, tillSessionId: null });
    await owner.post(`${tills()}/${a}/close`, { countedCash: 3 });
    await owner.post(`${tills()}/${b}/close`, { countedCash: 0 });
  });

  it('never lets a sale land in a session after its count: closing waits for purchases in flight', async () => {
    const id = await till('Busy desk');
    await owner.post(`${tills()}/${id}/open`, { openingFloat: 0 });
    const sales = Array.from({ length: 10 }, () =>
      sell({ tillId: id, items: [{ itemType: 'TIP', price: 1 }], payments: [{ type: 'CASH', amount: 1 }] }),
    );
    const close = owner.post(`${tills()}/${id}/close`, { countedCash: 0 });
    const results = await Promise.all(sales);
    const closed = await close;
    const taken = results.filter((r) => r.status === 201).length;
    expect(taken + results.filter((r) => r.status === 409).length).toBe(10);
    // Whatever was sold before the count is in it, and nothing after.
    expect(closed.body.expectedCash).toBe(taken);
  });

  it.each([
    ['a negative float', 'open', { openingFloat: -1 }, 'openingFloat'],
    ['3 decimals', 'open', { openingFloat: 1.005 }, 'openingFloat'],
    ['no counted cash', 'close', {}, 'countedCash'],
    ['cash in the other tenders', 'close', { countedCash: 1, counted: [{ type: 'CASH', amount: 1 }] }, 'counted[0].type'],
    [
      'a tender counted twice',
      'close',
      {
        countedCash: 1,
        counted: [
          { type: 'CARD', amount: 1 },
          { type: 'CARD', amount: 2 },
        ],
      },
      'counted[1].type',
    ],
  ])('refuses %s with 400', async (_label, action, body, field) => {
    const id = await till(`Bad ${field}`);
    if (action === 'close') await owner.post(`${tills()}/${id}/open`, {});
    expectValidationError(await owner.post(`${tills()}/${id}/${action}`, body), field);
  });

  it('answers the balance of a till never opened with 200 and zeros (no session); an unknown till or session stays 404', async () => {
    const id = await till('Never opened');
    const res = await owner.get(`${tills()}/${id}/balance?includeIntegratedPayments=true`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      tillId: id,
      tillSessionId: null,
      status: 'CLOSED',
      sessionOpen: false,
      currencyCode: 'EUR',
      openingFloat: 0,
      expectedCash: 0,
      countedCash: 0,
      cashVariance: 0,
      tenders: [],
      integratedPaymentBalances: [],
      openedAt: null,
      openedBy: null,
      closedAt: null,
      closedBy: null,
      note: null,
      version: 0,
    });
    expectNotFound(await owner.get(`${tills()}/${'x'.repeat(22)}/balance`));
    expectNotFound(await owner.get(`${tills()}/${id}/balance?tillSessionId=${'y'.repeat(22)}`));

    // Opened: sessionOpen true; closed again: the last session, sessionOpen false.
    await owner.post(`${tills()}/${id}/open`, { openingFloat: 30 });
    expect((await owner.get(`${tills()}/${id}/balance`)).body).toMatchObject({ status: 'OPEN', sessionOpen: true, expectedCash: 30 });
    await owner.post(`${tills()}/${id}/close`, { countedCash: 30 });
    expect((await owner.get(`${tills()}/${id}/balance`)).body).toMatchObject({
      status: 'CLOSED',
      sessionOpen: false,
      expectedCash: 30,
      countedCash: 30,
      cashVariance: 0,
    });
  });

  it('lets reception open, close and read balances, managers add tills and read past sessions; stylists none of it', async () => {
    const [reception, stylist] = await Promise.all([addUser(api, owner, 'RECEPTION'), addUser(api, owner, 'STYLIST')]);
    const id = await till('Roles');
    expect((await reception.post(tills(), { name: 'No' })).status).toBe(403);
    expect((await reception.post(`${tills()}/${id}/open`, { openingFloat: 20 })).status).toBe(201);
    expect((await reception.get(`${tills()}/${id}/balance`)).status).toBe(200);
    expect((await reception.get(`${tills()}/${id}/session`)).status).toBe(403);
    expect((await stylist.get(`${tills()}/${id}/balance`)).status).toBe(403);
    expect((await stylist.post(`${tills()}/${id}/close`, { countedCash: 20 })).status).toBe(403);
    expect((await reception.post(`${tills()}/${id}/close`, { countedCash: 20 })).status).toBe(200);
  });

  it('hides other businesses: their tills and sessions answer 404', async () => {
    const theirs = await till('Theirs', other.owner);
    const session = (await other.owner.post(`${tills(other.owner)}/${theirs}/open`, {})).body.tillSessionId;
    expectNotFound(await owner.get(`${tills()}/${theirs}/balance`));
    expectNotFound(await owner.post(`${tills()}/${theirs}/close`, { countedCash: 0 }));
    const mine = await till('Mine');
    await owner.post(`${tills()}/${mine}/open`, {});
    expectNotFound(await owner.get(`${tills()}/${mine}/balance?tillSessionId=${session}`));
    await owner.post(`${tills()}/${mine}/close`, { countedCash: 0 });
    expect((await other.owner.get(`${tills(other.owner)}/${theirs}/balance`)).body.status).toBe('OPEN');
  });
});
