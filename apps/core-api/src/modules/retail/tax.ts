/**
 * The till's arithmetic, pure and exact: integer minor units of the currency, tax rates in
 * thousandths of a percent (13.5% = 13_500), and BigInt wherever a product could pass 2^53.
 *
 * Rules (what a receipt shows, line by line):
 *  - Prices are tax-inclusive, as salons in Ireland and the UK price them.
 *  - A line's gross is unit price × quantity; its discount (an amount, or a percentage of the
 *    gross rounded half-up to the minor unit) comes off the gross; the rest is the line total.
 *  - Tax is worked out per line, from the line total: net = total / (1 + rate) rounded half-up
 *    to the minor unit, tax = total − net. So net + tax = total on every line, and the
 *    purchase's tax is the sum of its lines' tax (never recomputed on the sum).
 *  - Rounding is half away from zero ("half-up" on magnitudes), so a negative (refund) line is
 *    the exact mirror of the sale line it reverses.
 */

/** 100% in rate units (thousandths of a percent). */
export const RATE_SCALE = 100_000;
/** 100% in discount units (hundredths of a percent: basis points). */
export const BASIS_POINTS = 10_000;

/** numerator / denominator rounded half away from zero. denominator > 0. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const q = (2n * n + denominator) / (2n * denominator);
  return negative ? -q : q;
}

const int = (value: bigint): number => {
  const n = Number(value) || 0;
  if (!Number.isSafeInteger(n)) throw new RangeError('amount out of range');
  return n;
};

/** A tax-inclusive amount split into net and tax at `rateMilli` (thousandths of a percent). */
export function splitTax(totalMinor: number, rateMilli: number): { netMinor: number; taxMinor: number } {
  const net = int(divRound(BigInt(totalMinor) * BigInt(RATE_SCALE), BigInt(RATE_SCALE + rateMilli)));
  return { netMinor: net || 0, taxMinor: totalMinor - net || 0 };
}

/** `amount × part / whole`, rounded half away from zero (a share of a line in a partial refund). */
export function shareOf(amountMinor: number, part: number, whole: number): number {
  return int(divRound(BigInt(amountMinor) * BigInt(part), BigInt(whole)));
}

/** A percentage with up to 3 decimals (e.g. 13.5) in thousandths of a percent; undefined if not exact. */
export function rateToMilli(rate: number): number | undefined {
  if (!Number.isFinite(rate) || rate < 0 || rate > 100) return undefined;
  const milli = Math.round(rate * 1000);
  return Math.abs(milli / 1000 - rate) < 1e-9 ? milli : undefined;
}

export function milliToRate(milli: number): number {
  return milli / 1000;
}

/** A percentage with up to 2 decimals (a discount) in basis points; undefined if not exact. */
export function percentToBasisPoints(percent: number): number | undefined {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) return undefined;
  const bp = Math.round(percent * 100);
  return Math.abs(bp / 100 - percent) < 1e-9 ? bp : undefined;
}

export interface LineInput {
  unitPriceMinor: number;
  /** Non-zero; negative only on a reversing purchase. */
  quantity: number;
  rateMilli: number;
  /** A fixed amount off the line (same sign as the gross, or 0). */
  discountMinor?: number;
  /** Or a percentage off the gross, in basis points. */
  discountBasisPoints?: number;
}

export interface PricedLine {
  grossMinor: number;
  discountMinor: number;
  totalMinor: number;
  netMinor: number;
  taxMinor: number;
}

export type LineError = 'DISCOUNT_EXCEEDS_PRICE' | 'AMOUNT_OUT_OF_RANGE';

/** Prices one line (see the rules at the top). */
export function priceLine(input: LineInput): PricedLine | { error: LineError } {
  const gross = BigInt(input.unitPriceMinor) * BigInt(input.quantity);
  // Lines stay well inside a signed 32-bit column.
  if (gross > 2_000_000_000n || gross < -2_000_000_000n) return { error: 'AMOUNT_OUT_OF_RANGE' };
  const grossMinor = Number(gross);
  let discountMinor = 0;
  if (input.discountBasisPoints !== undefined) {
    discountMinor = int(divRound(gross * BigInt(input.discountBasisPoints), BigInt(BASIS_POINTS)));
  } else if (input.discountMinor !== undefined) {
    discountMinor = grossMinor < 0 ? -Math.abs(input.discountMinor) || 0 : input.discountMinor;
  }
  if (Math.abs(discountMinor) > Math.abs(grossMinor)) return { error: 'DISCOUNT_EXCEEDS_PRICE' };
  const totalMinor = grossMinor - discountMinor;
  return { grossMinor, discountMinor, totalMinor, ...splitTax(totalMinor, input.rateMilli) };
}

export type Tender = 'CASH' | 'CARD' | 'VOUCHER' | 'OTHER';

export interface PaymentInput {
  type: Tender;
  /** What the customer handed over (cash) or what was charged (other tenders). */
  amountMinor: number;
}

export interface Settlement {
  /** Per payment, in input order: the amount applied to the purchase. */
  applied: number[];
  paidMinor: number;
  changeMinor: number;
}

export type SettlementError = 'PAYMENT_SHORT' | 'OVERPAYMENT' | 'PAYMENT_SIGN' | 'REFUND_MISMATCH';

/**
 * Checks the tenders against the total. A sale: every payment is positive; card, voucher and
 * other tenders together may not exceed the total (only cash gives change); cash covers the
 * rest, and what it exceeds the rest by is the change due. A reversal (total below zero):
 * every payment is negative (money back) and together they equal the total exactly.
 */
export function settle(totalMinor: number, payments: PaymentInput[]): Settlement | { error: SettlementError } {
  if (totalMinor < 0) {
    if (payments.some((p) => p.amountMinor >= 0)) return { error: 'PAYMENT_SIGN' };
    const sum = payments.reduce((s, p) => s + p.amountMinor, 0);
    if (sum !== totalMinor) return { error: 'REFUND_MISMATCH' };
    return { applied: payments.map((p) => p.amountMinor), paidMinor: sum, changeMinor: 0 };
  }
  if (payments.some((p) => p.amountMinor <= 0)) return { error: 'PAYMENT_SIGN' };
  const nonCash = payments.filter((p) => p.type !== 'CASH').reduce((s, p) => s + p.amountMinor, 0);
  const cash = payments.filter((p) => p.type === 'CASH').reduce((s, p) => s + p.amountMinor, 0);
  if (nonCash > totalMinor) return { error: 'OVERPAYMENT' };
  const cashDue = totalMinor - nonCash;
  if (cash < cashDue) return { error: 'PAYMENT_SHORT' };
  if (cash > 0 && cashDue === 0) return { error: 'OVERPAYMENT' };
  const changeMinor = cash - cashDue;
  // Cash is applied in the order it was handed over; the change comes out of the last notes.
  let cashLeft = cashDue;
  const applied = payments.map((p) => {
    if (p.type !== 'CASH') return p.amountMinor;
    const used = Math.min(p.amountMinor, cashLeft);
    cashLeft -= used;
    return used;
  });
  return { applied, paidMinor: totalMinor, changeMinor };
}
