import { createHash } from 'node:crypto';
import { ApiError } from '@chairbook/platform';
import { invalid, minorOf } from '../retail/amounts';
import { LineError, percentToBasisPoints, SettlementError } from '../retail/tax';
import type { ItemType, PaymentType, PurchaseItemDto, PurchasePaymentDto } from './dto/purchase.dto';

/** A purchase line as asked for, before anything is looked up. */
export interface RequestedLine {
  index: number;
  field: string;
  type: ItemType;
  /** The appointment, service or product sold (none for vouchers and tips). */
  refId: string | null;
  quantity: number;
  priceMinor: number | undefined;
  discountMinor: number | undefined;
  discountBasisPoints: number | undefined;
  staffId: string | undefined;
  taxRateId: string | undefined;
  description: string | undefined;
  voucherSerialNumber: string | undefined;
  voucherExpiryDate: Date | undefined;
}

export interface RequestedPayment {
  field: string;
  type: PaymentType;
  amountMinor: number;
  voucherId?: string;
  serialNumber?: string;
  reference: string | null;
}

const REF_FIELDS = { appointmentId: 'APPOINTMENT', serviceId: 'SERVICE', productId: 'PRODUCT' } as const;

/**
 * Reads one item of the body: which kind of line it is and what it names. Phorest's rule: one
 * type field per purchase item (400 otherwise).
 */
export function readItem(item: PurchaseItemDto, index: number, currency: string): RequestedLine {
  const field = `items[${index}]`;
  const named = (Object.keys(REF_FIELDS) as (keyof typeof REF_FIELDS)[]).filter((k) => item[k] !== undefined);
  if (named.length + (item.itemId !== undefined ? 1 : 0) > 1) {
    throw invalid(field, 'Purchase item invalid: only one type field can be set per purchase item');
  }
  let type: ItemType | undefined = item.itemType;
  let refId: string | null = null;
  if (named.length) {
    const implied = REF_FIELDS[named[0]];
    if (type && type !== implied) throw invalid(`${field}.itemType`, `${named[0]} names a ${implied} line`);
    type = implied;
    refId = item[named[0]]!;
  } else if (item.itemId !== undefined) {
    if (!type) throw invalid(`${field}.itemType`, 'is required with itemId');
    if (type === 'VOUCHER' || type === 'TIP') throw invalid(`${field}.itemId`, `a ${type} line names no item`);
    refId = item.itemId;
  }
  if (!type) throw invalid(field, 'give appointmentId, serviceId or productId (or itemType VOUCHER or TIP with a price)');
  if ((type === 'APPOINTMENT' || type === 'SERVICE' || type === 'PRODUCT') && !refId) throw invalid(field, `a ${type} line needs its id`);
  const quantity = item.quantity ?? 1;
  if (quantity !== 1 && (type === 'APPOINTMENT' || type === 'VOUCHER' || type === 'TIP'))
    throw invalid(`${field}.quantity`, `must be 1 for ${type} lines`);
  if ((type === 'VOUCHER' || type === 'TIP') && item.price === undefined) throw invalid(`${field}.price`, `is required for ${type} lines`);
  if (type === 'VOUCHER' && item.price === 0) throw invalid(`${field}.price`, 'a voucher needs a value');
  if (type === 'TIP' && (item.discount !== undefined || item.discountPercent !== undefined))
    throw invalid(`${field}.discount`, 'tips take no discount');
  if ((type === 'TIP' || type === 'VOUCHER') && item.taxRateId) throw invalid(`${field}.taxRateId`, `${type} lines carry no tax`);
  if (type !== 'VOUCHER' && (item.voucherSerialNumber !== undefined || item.voucherExpiryDate !== undefined)) {
    throw invalid(`${field}.voucherSerialNumber`, 'only for VOUCHER lines');
  }
  if (item.discount !== undefined && item.discountPercent !== undefined)
    throw invalid(`${field}.discount`, 'give discount or discountPercent, not both');
  const voucherExpiryDate = item.voucherExpiryDate ? new Date(item.voucherExpiryDate) : undefined;
  if (voucherExpiryDate && voucherExpiryDate.getTime() <= Date.now()) throw invalid(`${field}.voucherExpiryDate`, 'must be in the future');
  return {
    index,
    field,
    type,
    refId,
    quantity,
    priceMinor: item.price === undefined ? undefined : minorOf(item.price, currency, `${field}.price`),
    discountMinor: item.discount === undefined ? undefined : minorOf(item.discount, currency, `${field}.discount`),
    discountBasisPoints: item.discountPercent === undefined ? undefined : percentToBasisPoints(item.discountPercent),
    staffId: item.staffId,
    taxRateId: item.taxRateId,
    description: item.description,
    voucherSerialNumber: item.voucherSerialNumber,
    voucherExpiryDate,
  };
}

/** Reads one tender; a VOUCHER tender names its voucher (by id or serial), others none. */
export function readPayment(p: PurchasePaymentDto, index: number, currency: string): RequestedPayment {
  const field = `payments[${index}]`;
  if (p.type === 'VOUCHER') {
    if ((p.voucherId === undefined) === (p.serialNumber === undefined))
      throw invalid(field, 'a VOUCHER tender names its voucher: voucherId or serialNumber');
  } else if (p.voucherId !== undefined || p.serialNumber !== undefined) {
    throw invalid(`${field}.voucherId`, 'only VOUCHER tenders name a voucher');
  }
  return {
    field,
    type: p.type,
    amountMinor: minorOf(p.amount, currency, `${field}.amount`),
    voucherId: p.voucherId,
    serialNumber: p.serialNumber,
    reference: p.reference ?? null,
  };
}

/** The fingerprint of a request body: a replayed number must come with the same body. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

export function lineError(error: LineError, field: string): ApiError {
  return error === 'DISCOUNT_EXCEEDS_PRICE'
    ? ApiError.badRequest('DISCOUNT_EXCEEDS_PRICE', 'A discount cannot exceed the line’s price', [
        { field: `${field}.discount`, message: 'more than the line’s price' },
      ])
    : ApiError.badRequest('AMOUNT_OUT_OF_RANGE', 'The line’s amount is too large', [
        { field: `${field}.quantity`, message: 'price × quantity is too large' },
      ]);
}

export function settlementError(error: SettlementError, total: string): ApiError {
  switch (error) {
    case 'PAYMENT_SHORT':
      return ApiError.badRequest('PAYMENT_SHORT', `The payments do not cover the total of ${total}`, [
        { field: 'payments', message: `must cover ${total}` },
      ]);
    case 'OVERPAYMENT':
      return ApiError.badRequest(
        'OVERPAYMENT',
        `Card, voucher and other tenders may not exceed the total of ${total} (only cash gives change)`,
        [{ field: 'payments', message: `more than ${total}` }],
      );
    case 'REFUND_MISMATCH':
      return ApiError.badRequest('REFUND_MISMATCH', `The money given back must be exactly ${total}`, [
        { field: 'payments', message: `must add up to ${total}` },
      ]);
    case 'PAYMENT_SIGN':
      return ApiError.badRequest('VALIDATION_FAILED', 'Payment amounts must be more than zero', [
        { field: 'payments', message: 'amounts must be positive' },
      ]);
  }
}
