import type { ApiClient } from '../../../test-support/api-client';
import { type CoreApiHarness, publishedEvents } from '../../../test-support/core-api-harness';
import { bookingBody, createSalon, TestSalon } from '../../../test-support/salon';

/** A test salon that sells: VAT 13.5% on services, 23% on products, two retail products and a professional one. */
export interface RetailSalon extends TestSalon {
  rates: { services: string; products: string };
  products: { shampoo: string; conditioner: string; bleach: string };
  barcodes: { shampoo: string; conditioner: string };
}

let slot = 0;

export async function createRetailSalon(api: CoreApiHarness): Promise<RetailSalon> {
  const salon = await createSalon(api);
  const o = salon.owner;
  const rate = async (name: string, rate: number, defaults: object) => {
    const res = await o.post(`${o.branch}/taxrate`, { name, rate, ...defaults });
    if (res.status !== 201) throw new Error(`taxrate: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.taxRateId as string;
  };
  const services = await rate('VAT services', 13.5, { defaultForServices: true });
  const productsRate = await rate('VAT goods', 23, { defaultForProducts: true });
  const tag = o.businessId.slice(0, 6);
  const product = async (body: object) => {
    const res = await o.post(`${o.branch}/product`, body);
    if (res.status !== 201) throw new Error(`product: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.productId as string;
  };
  const barcodes = { shampoo: `SH-${tag}`, conditioner: `CO-${tag}` };
  return {
    ...salon,
    rates: { services, products: productsRate },
    barcodes,
    products: {
      shampoo: await product({ name: 'Shampoo', price: 24.5, costPrice: 10, barcode: barcodes.shampoo, openingStock: 20, reorderLevel: 5 }),
      conditioner: await product({
        name: 'Conditioner',
        price: 19.99,
        costPrice: 8.5,
        barcode: barcodes.conditioner,
        openingStock: 10,
        reorderLevel: 2,
      }),
      bleach: await product({ name: 'Bleach', price: 30, costPrice: 12, type: 'PROFESSIONAL', openingStock: 5 }),
    },
  };
}

/** Books one appointment (a fresh day each call, 10:00 UTC) and returns its id. */
export async function bookAppointment(
  salon: TestSalon,
  service: string = salon.services.cut,
  staff: string = salon.staff.aoife,
  client: string = salon.clients.siobhan,
  start?: string,
) {
  slot += 1;
  const day = new Date(Date.UTC(2027, 3, 1) + slot * 86_400_000).toISOString().slice(0, 10);
  const res = await salon.owner.post(
    `${salon.owner.branch}/booking`,
    bookingBody(client, [[service, staff, start ?? `${day}T10:00:00.000Z`]]),
  );
  if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.clientAppointmentSchedules[0].serviceSchedules[0].appointmentId as string;
}

let numbers = 0;
/** A purchase number nobody used yet. */
export const nextNumber = (prefix = 'T') => `${prefix}-${Date.now().toString(36)}-${(numbers += 1)}`;

export async function issueVoucher(owner: ApiClient, balance: number, extra: object = {}) {
  const res = await owner.post(`${owner.business}/voucher`, { creatingBranchId: owner.branchId, originalBalance: balance, ...extra });
  if (res.status !== 201) throw new Error(`voucher: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { voucherId: string; serialNumber: string; remainingBalance: number; version: number };
}

export async function stockOf(owner: ApiClient, productId: string): Promise<number> {
  return (await owner.get(`${owner.branch}/product/${productId}`)).body.quantityInStock;
}

/** Events published that mention `id` (types in order). */
export async function outboxTypesMentioning(api: CoreApiHarness, id: string): Promise<string[]> {
  return (await publishedEvents(api, id)).map((e) => e.type);
}

/** The first event of `type` published that mentions `id`. */
export async function outboxPayload(api: CoreApiHarness, type: string, id: string): Promise<Record<string, any>> {
  const event = (await publishedEvents(api, id)).find((e) => e.type === type);
  if (!event) throw new Error(`no ${type} event mentions ${id}`);
  return event.payload;
}
