import { DataSource } from 'typeorm';
import { ApiClient, addUser, createBusiness } from '../../test-support/api-client';
import { CoreApiHarness, startCoreApi } from '../../test-support/core-api-harness';
import { auditFields, expectNotFound, expectValidationError, UNKNOWN_ID } from '../catalogue/test-support/catalogue-checks';

describe('products and tax rates API (real MariaDB)', () => {
  let api: CoreApiHarness;
  let owner: ApiClient;
  let other: ApiClient;
  const products = (c: ApiClient = owner) => `${c.branch}/product`;
  const taxRates = (c: ApiClient = owner) => `${c.branch}/taxrate`;

  beforeAll(async () => {
    api = await startCoreApi();
    [owner, other] = await Promise.all([createBusiness(api), createBusiness(api)]);
  });
  afterAll(async () => {
    await api?.close();
  });

  async function product(body: Record<string, unknown> = {}, c: ApiClient = owner) {
    const res = await c.post(products(c), { name: `Shampoo ${Math.random().toString(36).slice(2, 7)}`, price: 24.5, ...body });
    expect(res.status).toBe(201);
    return res.body as { productId: string; version: number } & Record<string, unknown>;
  }

  describe('tax rates', () => {
    it('stores a percentage with 3 decimals exactly, and keeps one default of each kind per branch', async () => {
      const biz = await createBusiness(api);
      const reduced = await biz.post(taxRates(biz), { name: 'Reduced', rate: 13.5, defaultForServices: true });
      expect(reduced.status).toBe(201);
      expect(reduced.body).toEqual({
        taxRateId: expect.stringMatching(/^[\w-]{22}$/),
        name: 'Reduced',
        rate: 13.5,
        defaultForServices: true,
        defaultForProducts: false,
        ...auditFields(),
      });
      const odd = await biz.post(taxRates(biz), { name: 'Odd', rate: 7.125 });
      const [stored] = await api.app.get(DataSource).query('SELECT rate_milli FROM tax_rate WHERE id = ?', [odd.body.taxRateId]);
      expect(stored.rate_milli).toBe(7125);
      expect(odd.body.rate).toBe(7.125);
      const standard = await biz.post(taxRates(biz), { name: 'Standard', rate: 23, defaultForServices: true, defaultForProducts: true });
      expect(standard.body).toMatchObject({ defaultForServices: true, defaultForProducts: true });
      const again = await biz.get(`${taxRates(biz)}/${reduced.body.taxRateId}`);
      expect(again.body).toMatchObject({ defaultForServices: false, version: 2 });
      const listed = await biz.get(taxRates(biz));
      expect(listed.body._embedded.taxRates.map((t: { name: string }) => t.name)).toEqual(['Odd', 'Reduced', 'Standard']);
      expect(listed.body.page).toEqual({ size: 20, totalElements: 3, totalPages: 1, number: 0 });
    });

    it.each([
      ['more than 3 decimals', { rate: 13.5001 }, 'rate'],
      ['over 100%', { rate: 100.5 }, 'rate'],
      ['a negative rate', { rate: -1 }, 'rate'],
      ['a string rate', { rate: '23' }, 'rate'],
      ['a blank name', { name: '   ' }, 'name'],
    ])('refuses %s with 400', async (_label, patch, field) => {
      expectValidationError(await owner.post(taxRates(), { name: 'VAT', rate: 23, ...patch }), field);
    });

    it('updates with the version read, 409 when stale; archiving drops it from the list and from defaults', async () => {
      const created = (await owner.post(taxRates(), { name: 'Temp', rate: 9, defaultForProducts: true })).body;
      const updated = await owner.put(`${taxRates()}/${created.taxRateId}`, { version: 1, rate: 9.5 });
      expect(updated.body).toMatchObject({ rate: 9.5, version: 2 });
      const stale = await owner.put(`${taxRates()}/${created.taxRateId}`, { version: 1, rate: 10 });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
      expect((await owner.delete(`${taxRates()}/${created.taxRateId}`)).status).toBe(204);
      expect((await owner.get(`${taxRates()}/${created.taxRateId}`)).body).toMatchObject({ archived: true, defaultForProducts: false });
      expect((await owner.get(taxRates())).body._embedded.taxRates.map((t: { taxRateId: string }) => t.taxRateId)).not.toContain(
        created.taxRateId,
      );
    });
  });

  describe('products', () => {
    it('creates a product with every field and answers it in Phorest’s shape, with its opening stock as a movement', async () => {
      const vat = (await owner.post(taxRates(), { name: 'VAT', rate: 23 })).body.taxRateId;
      const res = await owner.post(products(), {
        name: 'Redken All Soft Shampoo 300ml',
        sku: 'RED-AS-300',
        barcode: '5012345678900',
        type: 'RETAIL',
        price: 24.5,
        costPrice: 11.2,
        taxRateId: vat,
        reorderLevel: 3,
        openingStock: 12,
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        productId: expect.stringMatching(/^[\w-]{22}$/),
        name: 'Redken All Soft Shampoo 300ml',
        sku: 'RED-AS-300',
        code: 'RED-AS-300',
        barcode: '5012345678900',
        type: 'RETAIL',
        productType: 'RETAIL',
        price: 24.5,
        costPrice: 11.2,
        taxRateId: vat,
        reorderLevel: 3,
        minQuantity: 3,
        quantityInStock: 12,
        stockLevel: 12,
        lowStock: false,
        ...auditFields(),
      });
      const [stored] = await api.app
        .get(DataSource)
        .query('SELECT price_minor, cost_price_minor FROM product WHERE id = ?', [res.body.productId]);
      expect(stored).toEqual({ price_minor: 2450, cost_price_minor: 1120 });
      const moves = await owner.get(`${owner.branch}/inventorytransaction?productId=${res.body.productId}`);
      expect(moves.body._embedded.inventoryTransactions).toEqual([
        expect.objectContaining({
          productId: res.body.productId,
          quantityChange: 12,
          quantityAfter: 12,
          reason: 'ADJUSTMENT',
          operationType: 'INCREASE',
          note: 'Opening stock',
        }),
      ]);
    });

    it('fills the defaults: retail, no stock, no tax rate, reorder level 0', async () => {
      const p = await product({ price: 0 });
      expect(p).toMatchObject({
        type: 'RETAIL',
        quantityInStock: 0,
        taxRateId: null,
        reorderLevel: 0,
        costPrice: 0,
        sku: null,
        barcode: null,
        lowStock: true,
      });
    });

    it('lists with Phorest’s filters: searchQuery, productType, lowStock, outOfStock, barcode, includeArchived, archivedOnly, updated_from', async () => {
      const biz = await createBusiness(api);
      const a = await product({ name: 'Argan oil', sku: 'ARG-1', openingStock: 10, reorderLevel: 2 }, biz);
      const b = await product({ name: 'Bleach powder', type: 'PROFESSIONAL', openingStock: 1, reorderLevel: 2 }, biz);
      const c = await product({ name: 'Conditioner', barcode: 'C-123', reorderLevel: 1 }, biz);
      const names = async (query: string) =>
        ((await biz.get(`${products(biz)}${query}`)).body._embedded.products as { name: string }[]).map((p) => p.name);
      expect(await names('')).toEqual(['Argan oil', 'Bleach powder', 'Conditioner']);
      expect(await names('?searchQuery=arg')).toEqual(['Argan oil']);
      expect(await names('?searchQuery=ARG-1')).toEqual(['Argan oil']);
      expect(await names('?searchQuery=%25')).toEqual([]);
      expect(await names('?productType=PROFESSIONAL')).toEqual(['Bleach powder']);
      expect(await names('?lowStock=true')).toEqual(['Bleach powder', 'Conditioner']);
      expect(await names('?outOfStock=true')).toEqual(['Conditioner']);
      expect(await names('?barcode=C-123')).toEqual(['Conditioner']);
      const page = await biz.get(`${products(biz)}?size=2&page=1`);
      expect(page.body.page).toEqual({ size: 2, totalElements: 3, totalPages: 2, number: 1 });
      await new Promise((r) => setTimeout(r, 5));
      const since = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 5));
      await biz.put(`${products(biz)}/${a.productId}`, { version: a.version, price: 30 });
      expect(await names(`?updated_from=${since}`)).toEqual(['Argan oil']);
      expect((await biz.delete(`${products(biz)}/${b.productId}`)).status).toBe(204);
      expect(await names('')).toEqual(['Argan oil', 'Conditioner']);
      expect(await names('?includeArchived=true')).toEqual(['Argan oil', 'Bleach powder', 'Conditioner']);
      expect(await names('?archivedOnly=true')).toEqual(['Bleach powder']);
      expect(c.productId).toBeDefined();
      expectValidationError(await biz.get(`${products(biz)}?productType=FOOD`), 'productType');
      expectValidationError(await biz.get(`${products(biz)}?updated_from=yesterday`), 'updated_from');
    });

    it('gets one with an ETag, 304 on If-None-Match, and a new ETag once stock moves', async () => {
      const p = await product({ barcode: `E-${Date.now()}` });
      const first = await owner.get(`${products()}/${p.productId}`);
      const etag = first.headers.get('etag')!;
      expect(etag).toBe(`"${p.productId}.1"`);
      expect((await owner.get(`${products()}/${p.productId}`, { 'if-none-match': etag })).status).toBe(304);
      await owner.post(`${owner.branch}/stock/adjustment`, { stocks: [{ productId: p.productId, quantity: 2, reason: 'DELIVERY' }] });
      const after = await owner.get(`${products()}/${p.productId}`, { 'if-none-match': etag });
      expect(after.status).toBe(200);
      expect(after.body.quantityInStock).toBe(2);
    });

    it('updates with the version read (409 when stale) and never lets a PUT set the stock', async () => {
      const p = await product({ openingStock: 5 });
      const res = await owner.put(`${products()}/${p.productId}`, {
        version: p.version,
        name: 'Renamed',
        costPrice: 3.33,
        reorderLevel: 1,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'Renamed', costPrice: 3.33, reorderLevel: 1, version: p.version + 1, quantityInStock: 5 });
      const stale = await owner.put(`${products()}/${p.productId}`, { version: p.version, name: 'Lost' });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('VERSION_CONFLICT');
      expectValidationError(
        await owner.put(`${products()}/${p.productId}`, { version: res.body.version, quantityInStock: 100 }),
        'quantityInStock',
      );
      expectValidationError(await owner.put(`${products()}/${p.productId}`, { version: res.body.version, stockLevel: 100 }), 'stockLevel');
    });

    it('answers 409 on a barcode or SKU another product of the branch has (another branch may reuse them)', async () => {
      await product({ barcode: 'DUP-1', sku: 'DUP-SKU' });
      const barcode = await owner.post(products(), { name: 'x', price: 1, barcode: 'DUP-1' });
      expect(barcode.status).toBe(409);
      expect(barcode.body.code).toBe('BARCODE_TAKEN');
      const sku = await owner.post(products(), { name: 'x', price: 1, sku: 'DUP-SKU' });
      expect(sku.status).toBe(409);
      expect(sku.body.code).toBe('SKU_TAKEN');
      expect((await other.post(products(other), { name: 'x', price: 1, barcode: 'DUP-1', sku: 'DUP-SKU' })).status).toBe(201);
    });

    it.each([
      ['a price with more decimals than EUR has', { price: 1.234 }, 'price'],
      ['a negative price', { price: -1 }, 'price'],
      ['a price as a string', { price: '10' }, 'price'],
      ['an unknown type', { type: 'FOOD' }, 'type'],
      ['a barcode with spaces', { barcode: '12 34' }, 'barcode'],
      ['a negative reorder level', { reorderLevel: -1 }, 'reorderLevel'],
      ['a fractional opening stock', { openingStock: 1.5 }, 'openingStock'],
      ['null for the name', { name: null }, 'name'],
      ['an unknown field', { stockLevel: 5 }, 'stockLevel'],
      ['a malformed tax rate id', { taxRateId: 'nope' }, 'taxRateId'],
      ['a 10,000-character name', { name: 'x'.repeat(10_000) }, 'name'],
    ])('refuses %s with 400 and writes nothing', async (_label, patch, field) => {
      const before = (await owner.get(`${products()}?includeArchived=true`)).body.page.totalElements;
      expectValidationError(await owner.post(products(), { name: 'Bad', price: 5, ...patch }), field);
      expect((await owner.get(`${products()}?includeArchived=true`)).body.page.totalElements).toBe(before);
    });

    it('lets every role read, only managers and owners write', async () => {
      const [reception, stylist, manager] = await Promise.all([
        addUser(api, owner, 'RECEPTION'),
        addUser(api, owner, 'STYLIST'),
        addUser(api, owner, 'MANAGER'),
      ]);
      const p = await product();
      expect((await stylist.get(`${products()}/${p.productId}`)).status).toBe(200);
      expect((await stylist.get(taxRates())).status).toBe(200);
      expect((await reception.post(products(), { name: 'x', price: 1 })).status).toBe(403);
      expect((await reception.put(`${products()}/${p.productId}`, { version: p.version, name: 'no' })).status).toBe(403);
      expect((await reception.delete(`${products()}/${p.productId}`)).status).toBe(403);
      expect((await reception.post(taxRates(), { name: 'x', rate: 1 })).status).toBe(403);
      expect((await manager.post(products(), { name: 'By manager', price: 1 })).status).toBe(201);
      expect((await manager.post(taxRates(), { name: 'By manager', rate: 1 })).status).toBe(201);
    });

    it('hides other businesses: their products and tax rates answer 404, also when named in a body', async () => {
      const theirs = await product({}, other);
      const theirRate = (await other.post(taxRates(other), { name: 'Theirs', rate: 5 })).body.taxRateId;
      expectNotFound(await owner.get(`${products()}/${theirs.productId}`));
      expectNotFound(await owner.put(`${products()}/${theirs.productId}`, { version: 1, name: 'hijack' }));
      expectNotFound(await owner.get(`${taxRates()}/${theirRate}`));
      expectNotFound(await owner.post(products(), { name: 'x', price: 1, taxRateId: theirRate }));
      expectNotFound(await owner.get(`${products()}/${UNKNOWN_ID}`));
      expect((await other.get(`${products(other)}/${theirs.productId}`)).body.name).not.toBe('hijack');
    });
  });
});
