import { DataSource } from 'typeorm';
import { ApiClient, addUser, createBusiness } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { expectNotFound, expectValidationError } from '../catalogue/test-support/catalogue-checks';

describe('stock API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let owner: ApiClient;
  let other: ApiClient;
  const adjust = (body: unknown, c: ApiClient = owner) => c.post(`${c.branch}/stock/adjustment`, body);
  const level = async (productId: string, c: ApiClient = owner) =>
    (await c.get(`${c.branch}/product/${productId}`)).body.quantityInStock as number;

  beforeAll(async () => {
    api = await startCoreApi();
    [owner, other] = await Promise.all([createBusiness(api), createBusiness(api)]);
  });
  afterAll(async () => {
    await api?.close();
  });

  let seq = 0;
  async function product(body: Record<string, unknown> = {}, c: ApiClient = owner) {
    seq += 1;
    const res = await c.post(`${c.branch}/product`, {
      name: `Product ${seq}`,
      price: 10,
      costPrice: 4,
      barcode: `BC-${Date.now()}-${seq}`,
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body as { productId: string; barcode: string; version: number };
  }

  /** The stock level of every product of the business equals the sum of its movements. */
  async function expectLevelsAreSums(businessId: string) {
    const rows: { id: string; stock_level: number; sum: number }[] = await api.app
      .get(DataSource)
      .query(
        'SELECT p.id, p.stock_level, COALESCE(SUM(t.quantity_change), 0) AS sum FROM product p LEFT JOIN inventory_transaction t ON t.product_id = p.id WHERE p.business_id = ? GROUP BY p.id, p.stock_level',
        [businessId],
      );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect({ id: r.id, level: r.stock_level }).toEqual({ id: r.id, level: Number(r.sum) });
  }

  it('takes Phorest’s body: stocks[{barcode, quantity, operationType}] → 204, and the levels move', async () => {
    const a = await product({ openingStock: 10 });
    const b = await product();
    const res = await adjust({
      stocks: [
        { barcode: a.barcode, quantity: 3, operationType: 'DEDUCT' },
        { barcode: b.barcode, quantity: 7, operationType: 'INCREASE' },
      ],
    });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(await level(a.productId)).toBe(7);
    expect(await level(b.productId)).toBe(7);
    await expectLevelsAreSums(owner.businessId);
  });

  it('records our reasons: DELIVERY adds, LOSS and PROFESSIONAL_USE take away, with notes', async () => {
    const p = await product({ openingStock: 5 });
    expect((await adjust({ stocks: [{ productId: p.productId, quantity: 12, reason: 'DELIVERY', note: 'Order 1142' }] })).status).toBe(204);
    expect((await adjust({ stocks: [{ productId: p.productId, quantity: 1, reason: 'LOSS', note: 'Dropped' }] })).status).toBe(204);
    expect(
      (await adjust({ stocks: [{ productId: p.productId, quantity: 2, reason: 'PROFESSIONAL_USE', operationType: 'DEDUCT' }] })).status,
    ).toBe(204);
    expect(await level(p.productId)).toBe(14);
    const moves = (await owner.get(`${owner.branch}/inventorytransaction?productId=${p.productId}`)).body._embedded.inventoryTransactions;
    expect(
      moves.map((m: { reason: string; quantityChange: number; quantityAfter: number }) => [m.reason, m.quantityChange, m.quantityAfter]),
    ).toEqual([
      ['ADJUSTMENT', 5, 5],
      ['DELIVERY', 12, 17],
      ['LOSS', -1, 16],
      ['PROFESSIONAL_USE', -2, 14],
    ]);
    expect(moves[1]).toMatchObject({
      note: 'Order 1142',
      operationType: 'INCREASE',
      unitCost: 4,
      transactionId: expect.stringMatching(/^[\w-]{22}$/),
    });
  });

  it.each([
    ['no operationType and no reason', { quantity: 1 }, 'stocks[0].operationType'],
    ['a DELIVERY that deducts', { quantity: 1, reason: 'DELIVERY', operationType: 'DEDUCT' }, 'stocks[0].operationType'],
    ['a LOSS that increases', { quantity: 1, reason: 'LOSS', operationType: 'INCREASE' }, 'stocks[0].operationType'],
    ['a STOCK_TAKE with a direction', { quantity: 1, reason: 'STOCK_TAKE', operationType: 'INCREASE' }, 'stocks[0].operationType'],
    ['a quantity of zero', { quantity: 0, operationType: 'INCREASE' }, 'stocks[0].quantity'],
    ['a negative quantity', { quantity: -2, operationType: 'INCREASE' }, 'stocks[0].quantity'],
    ['a fractional quantity', { quantity: 1.5, operationType: 'INCREASE' }, 'stocks[0].quantity'],
    ['an unknown reason', { quantity: 1, reason: 'THEFT' }, 'stocks[0].reason'],
  ])('refuses %s with 400', async (_label, line, field) => {
    const p = await product({ openingStock: 3 });
    expectValidationError(await adjust({ stocks: [{ productId: p.productId, ...line }] }), field);
    expect(await level(p.productId)).toBe(3);
  });

  it('refuses an empty list, a line with both or neither of barcode and productId, and an unknown barcode (404)', async () => {
    expectValidationError(await adjust({ stocks: [] }), 'stocks');
    expectValidationError(await adjust({}), 'stocks');
    const p = await product();
    expectValidationError(
      await adjust({ stocks: [{ productId: p.productId, barcode: p.barcode, quantity: 1, operationType: 'INCREASE' }] }),
      'stocks[0]',
    );
    expectValidationError(await adjust({ stocks: [{ quantity: 1, operationType: 'INCREASE' }] }), 'stocks[0]');
    const unknown = await adjust({ stocks: [{ barcode: 'NO-SUCH-BARCODE', quantity: 1, operationType: 'INCREASE' }] });
    expectNotFound(unknown);
    expect(unknown.body.fields).toEqual([{ field: 'stocks[0].barcode', message: 'no such product in this branch' }]);
  });

  it('takes the reference’s body: stocks[{barcodes, quantity, reason}] with the reason in any case, matching a product by any of its barcodes', async () => {
    const p = await product({ openingStock: 2 });
    const res = await adjust({ stocks: [{ barcodes: ['NOT-ON-FILE', p.barcode], quantity: 5, reason: 'delivery' }] });
    expect(res.status).toBe(204);
    expect(await level(p.productId)).toBe(7);
    expect((await adjust({ stocks: [{ barcodes: [p.barcode], quantity: 1, reason: 'Professional use' }] })).status).toBe(204);
    expect((await adjust({ stocks: [{ barcodes: [p.barcode], quantity: 2, reason: 'loss' }] })).status).toBe(204);
    expect((await adjust({ stocks: [{ barcodes: [p.barcode], quantity: 3, reason: 'stock-take' }] })).status).toBe(204);
    expect(await level(p.productId)).toBe(3);
    const moves = (await owner.get(`${owner.branch}/inventorytransaction?productId=${p.productId}`)).body._embedded.inventoryTransactions;
    expect(moves.map((m: { reason: string; quantityChange: number }) => [m.reason, m.quantityChange])).toEqual([
      ['ADJUSTMENT', 2],
      ['DELIVERY', 5],
      ['PROFESSIONAL_USE', -1],
      ['LOSS', -2],
      ['STOCK_TAKE', -1],
    ]);
    await expectLevelsAreSums(owner.businessId);
  });

  it('reads a signed quantity as the change: negative deducts, positive adds with barcodes and no direction', async () => {
    const p = await product({ openingStock: 10 });
    expect((await adjust({ stocks: [{ barcodes: [p.barcode], quantity: -4 }] })).status).toBe(204);
    expect(await level(p.productId)).toBe(6);
    expect((await adjust({ stocks: [{ barcodes: [p.barcode], quantity: 3 }] })).status).toBe(204);
    expect(await level(p.productId)).toBe(9);
    // Our own shapes take a negative quantity too; a reason or operationType that agrees is fine.
    expect((await adjust({ stocks: [{ productId: p.productId, quantity: -1 }] })).status).toBe(204);
    expect((await adjust({ stocks: [{ barcode: p.barcode, quantity: -1, operationType: 'DEDUCT' }] })).status).toBe(204);
    expect((await adjust({ stocks: [{ productId: p.productId, quantity: -2, reason: 'LOSS' }] })).status).toBe(204);
    expect((await adjust({ stocks: [{ barcodes: [p.barcode], quantity: 2, reason: 'adjustment', operationType: 'DEDUCT' }] })).status).toBe(204);
    expect(await level(p.productId)).toBe(3);
    const moves = (await owner.get(`${owner.branch}/inventorytransaction?productId=${p.productId}`)).body._embedded.inventoryTransactions;
    expect(moves.map((m: { reason: string; quantityChange: number }) => [m.reason, m.quantityChange])).toEqual([
      ['ADJUSTMENT', 10],
      ['ADJUSTMENT', -4],
      ['ADJUSTMENT', 3],
      ['ADJUSTMENT', -1],
      ['ADJUSTMENT', -1],
      ['LOSS', -2],
      ['ADJUSTMENT', -2],
    ]);
    await expectLevelsAreSums(owner.businessId);
  });

  it.each([
    ['a negative DELIVERY', { quantity: -2, reason: 'delivery' }, 'stocks[0].quantity'],
    ['a negative STOCK_TAKE count', { quantity: -2, reason: 'STOCK_TAKE' }, 'stocks[0].quantity'],
    ['a zero quantity', { quantity: 0 }, 'stocks[0].quantity'],
    ['an unknown reason in lower case', { quantity: 1, reason: 'theft' }, 'stocks[0].reason'],
    ['an empty barcodes list', { barcodes: [] as string[], quantity: 1 }, 'stocks[0].barcodes'],
    ['a barcode with a space', { barcodes: ['12 34'], quantity: 1 }, 'stocks[0].barcodes'],
  ])('refuses, with the reference’s barcodes, %s with 400', async (_label, line, field) => {
    const p = await product({ openingStock: 3 });
    expectValidationError(await adjust({ stocks: [{ barcodes: [p.barcode], ...line }] }), field);
    expect(await level(p.productId)).toBe(3);
  });

  it('says which line is wrong: barcodes no product has (404), barcodes of two products, or barcodes beside barcode/productId (400)', async () => {
    const a = await product({ openingStock: 3 });
    const b = await product({ openingStock: 3 });
    const unknown = await adjust({
      stocks: [
        { barcodes: [a.barcode], quantity: 1 },
        { barcodes: ['NO-SUCH-1', 'NO-SUCH-2'], quantity: 1 },
      ],
    });
    expectNotFound(unknown);
    expect(unknown.body.message).toContain('NO-SUCH-1 or NO-SUCH-2');
    expect(unknown.body.fields).toEqual([{ field: 'stocks[1].barcodes', message: 'no such product in this branch' }]);
    expectValidationError(await adjust({ stocks: [{ barcodes: [a.barcode, b.barcode], quantity: 1 }] }), 'stocks[0].barcodes');
    expectValidationError(await adjust({ stocks: [{ barcodes: [a.barcode], barcode: a.barcode, quantity: 1 }] }), 'stocks[0]');
    expectValidationError(await adjust({ stocks: [{ barcodes: [a.barcode], productId: a.productId, quantity: 1 }] }), 'stocks[0]');
    const theirs = await product({ openingStock: 4 }, other);
    expectNotFound(await adjust({ stocks: [{ barcodes: [theirs.barcode], quantity: -1 }] }));
    expect([await level(a.productId), await level(b.productId), await level(theirs.productId, other)]).toEqual([3, 3, 4]);
  });

  it('never goes below zero unless the branch allows it; a refused request changes nothing at all', async () => {
    const biz = await createBusiness(api);
    const a = await product({ openingStock: 5 }, biz);
    const b = await product({ openingStock: 1 }, biz);
    const refused = await adjust(
      {
        stocks: [
          { productId: a.productId, quantity: 2, operationType: 'DEDUCT' },
          { productId: b.productId, quantity: 2, operationType: 'DEDUCT' },
        ],
      },
      biz,
    );
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      productId: b.productId,
      available: 1,
      requested: 2,
      fields: [{ field: 'stocks[1].quantity', message: 'only 1 in stock' }],
    });
    expect(await level(a.productId, biz)).toBe(5);
    expect(await level(b.productId, biz)).toBe(1);

    const settings = await biz.get(`${biz.branch}/stock/settings`);
    expect(settings.body).toMatchObject({ allowNegativeStock: false, version: 0 });
    const allowed = await biz.put(`${biz.branch}/stock/settings`, { version: 0, allowNegativeStock: true });
    expect(allowed.body).toMatchObject({ allowNegativeStock: true, version: 1 });
    expect((await biz.put(`${biz.branch}/stock/settings`, { version: 0, allowNegativeStock: false })).status).toBe(409);
    expect((await adjust({ stocks: [{ productId: b.productId, quantity: 3, operationType: 'DEDUCT' }] }, biz)).status).toBe(204);
    expect(await level(b.productId, biz)).toBe(-2);
    expect(
      (await biz.get(`${biz.branch}/product?outOfStock=true`)).body._embedded.products.map((p: { productId: string }) => p.productId),
    ).toEqual([b.productId]);
    expect((await biz.put(`${biz.branch}/stock/settings`, { version: 1, allowNegativeStock: false })).body).toMatchObject({
      allowNegativeStock: false,
      version: 2,
    });
    await expectLevelsAreSums(biz.businessId);
  });

  it('records a stock take: the counts become the levels, each variance with its cost', async () => {
    const a = await product({ openingStock: 10, costPrice: 4.5 });
    const b = await product({ openingStock: 2, costPrice: 1 });
    const res = await owner.post(`${owner.branch}/stock/take`, {
      counts: [
        { productId: a.productId, countedQuantity: 8 },
        { barcode: b.barcode, countedQuantity: 3 },
      ],
      note: 'Monthly count',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      stockTakeId: expect.stringMatching(/^[\w-]{22}$/),
      countedAt: expect.any(String),
      lines: [
        {
          transactionId: expect.any(String),
          productId: a.productId,
          name: expect.any(String),
          expectedQuantity: 10,
          countedQuantity: 8,
          variance: -2,
          varianceCost: -9,
        },
        {
          transactionId: expect.any(String),
          productId: b.productId,
          name: expect.any(String),
          expectedQuantity: 2,
          countedQuantity: 3,
          variance: 1,
          varianceCost: 1,
        },
      ],
      totalVariance: -1,
      totalVarianceCost: -8,
    });
    expect(await level(a.productId)).toBe(8);
    const moves = (await owner.get(`${owner.branch}/inventorytransaction?reason=STOCK_TAKE&productId=${a.productId}`)).body._embedded
      .inventoryTransactions;
    expect(moves).toEqual([
      expect.objectContaining({
        reason: 'STOCK_TAKE',
        expectedQuantity: 10,
        countedQuantity: 8,
        variance: -2,
        quantityAfter: 8,
        batchId: res.body.stockTakeId,
        note: 'Monthly count',
      }),
    ]);
    // Phorest's adjustment with our STOCK_TAKE reason: quantity is the count.
    expect((await adjust({ stocks: [{ productId: a.productId, quantity: 8, reason: 'STOCK_TAKE' }] })).status).toBe(204);
    expect(await level(a.productId)).toBe(8);
    expectValidationError(
      await owner.post(`${owner.branch}/stock/take`, {
        counts: [
          { productId: a.productId, countedQuantity: 1 },
          { productId: a.productId, countedQuantity: 2 },
        ],
      }),
      'counts',
    );
    expectValidationError(
      await owner.post(`${owner.branch}/stock/take`, { counts: [{ productId: a.productId, countedQuantity: -1 }] }),
      'counts[0].countedQuantity',
    );
    await expectLevelsAreSums(owner.businessId);
  });

  it('keeps the level the sum of its movements under 20 concurrent deductions of the last 10 units', async () => {
    const p = await product({ openingStock: 10 });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => adjust({ stocks: [{ productId: p.productId, quantity: 1, reason: 'LOSS' }] })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 204)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(10);
    expect(await level(p.productId)).toBe(0);
    await expectLevelsAreSums(owner.businessId);
  });

  it('pages the movement list oldest first and filters it', async () => {
    const biz = await createBusiness(api);
    const p = await product({ openingStock: 1 }, biz);
    for (let i = 0; i < 4; i++) await adjust({ stocks: [{ productId: p.productId, quantity: 1, reason: 'DELIVERY' }] }, biz);
    const page0 = await biz.get(`${biz.branch}/inventorytransaction?size=2`);
    expect(page0.body.page).toEqual({ size: 2, totalElements: 5, totalPages: 3, number: 0 });
    expect(page0.body._embedded.inventoryTransactions.map((m: { quantityAfter: number }) => m.quantityAfter)).toEqual([1, 2]);
    const page2 = await biz.get(`${biz.branch}/inventorytransaction?size=2&page=2`);
    expect(page2.body._embedded.inventoryTransactions.map((m: { quantityAfter: number }) => m.quantityAfter)).toEqual([5]);
    expect((await biz.get(`${biz.branch}/inventorytransaction?reason=DELIVERY`)).body.page.totalElements).toBe(4);
    expect((await biz.get(`${biz.branch}/inventorytransaction?updated_from=2999-01-01T00:00:00Z`)).body.page.totalElements).toBe(0);
    expectValidationError(await biz.get(`${biz.branch}/inventorytransaction?reason=NOPE`), 'reason');
    expectValidationError(await biz.get(`${biz.branch}/inventorytransaction?size=101`), 'size');
  });

  it('lets reception adjust and read movements, managers count and change settings; stylists none of it', async () => {
    const [reception, stylist] = await Promise.all([addUser(api, owner, 'RECEPTION'), addUser(api, owner, 'STYLIST')]);
    const p = await product();
    expect((await adjust({ stocks: [{ productId: p.productId, quantity: 1, reason: 'DELIVERY' }] }, reception)).status).toBe(204);
    expect((await reception.get(`${owner.branch}/inventorytransaction`)).status).toBe(200);
    expect((await reception.post(`${owner.branch}/stock/take`, { counts: [{ productId: p.productId, countedQuantity: 1 }] })).status).toBe(
      403,
    );
    expect((await reception.put(`${owner.branch}/stock/settings`, { version: 0, allowNegativeStock: true })).status).toBe(403);
    expect((await adjust({ stocks: [{ productId: p.productId, quantity: 1, reason: 'DELIVERY' }] }, stylist)).status).toBe(403);
    expect((await stylist.get(`${owner.branch}/inventorytransaction`)).status).toBe(403);
  });

  it('hides other businesses: their products are unknown to adjustments, stock takes and the movement filter', async () => {
    const theirs = await product({ openingStock: 4 }, other);
    expectNotFound(await adjust({ stocks: [{ productId: theirs.productId, quantity: 1, operationType: 'DEDUCT' }] }));
    expectNotFound(await adjust({ stocks: [{ barcode: theirs.barcode, quantity: 1, operationType: 'DEDUCT' }] }));
    expectNotFound(await owner.post(`${owner.branch}/stock/take`, { counts: [{ productId: theirs.productId, countedQuantity: 0 }] }));
    expectNotFound(await owner.get(`${owner.branch}/inventorytransaction?productId=${theirs.productId}`));
    expectNotFound(
      await adjust({ stocks: [{ productId: theirs.productId, quantity: 1, operationType: 'DEDUCT' }] }, owner.as(owner.authorization)),
    );
    expect(
      (
        await owner.post(`${owner.business}/branch/${other.branchId}/stock/adjustment`, {
          stocks: [{ productId: theirs.productId, quantity: 1, operationType: 'DEDUCT' }],
        })
      ).status,
    ).toBe(404);
    expect(await level(theirs.productId, other)).toBe(4);
  });
});
