/**
 * Money is stored as integer minor units (cents) and shown as a decimal number in the
 * currency's own precision, so no binary-float rounding ever reaches a total.
 */
const digitsCache = new Map<string, number>();

export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

export function toMajor(minor: number, currency: string): number {
  const digits = currencyDigits(currency);
  return Number((minor / 10 ** digits).toFixed(digits));
}

/** Converts a major-unit amount; undefined when it has more decimals than the currency allows. */
export function toMinor(major: number, currency: string): number | undefined {
  const digits = currencyDigits(currency);
  const scaled = Math.round(major * 10 ** digits);
  if (Math.abs(scaled / 10 ** digits - major) > 1e-9) return undefined;
  return scaled;
}
