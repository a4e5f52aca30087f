import { ApiError } from '@chairbook/platform';
import { applyDecorators } from '@nestjs/common';
import { IsNumber, Max, Min } from 'class-validator';
import { DateTime } from 'luxon';
import { currencyDigits, toMinor } from '../../shared/money';
import { rateToMilli } from './tax';

/** The largest amount one field may carry, in major units (10 million). */
export const MAX_AMOUNT = 10_000_000;

export const invalid = (field: string, message: string, code = 'VALIDATION_FAILED') =>
  ApiError.badRequest(code, `Invalid input (${field}: ${message})`, [{ field, message }]);

/** A money amount in major units: a finite number with at most 3 decimals, within ±MAX_AMOUNT (or 0..MAX). */
export const IsMoney = (options: { allowNegative?: boolean } = {}) =>
  applyDecorators(
    IsNumber(
      { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 },
      { message: '$property must be an amount with at most 3 decimals' },
    ),
    Min(options.allowNegative ? -MAX_AMOUNT : 0),
    Max(MAX_AMOUNT),
  );

/** A major-unit amount in minor units of the currency; more decimals than it has is a 400 on `field`. */
export function minorOf(value: number, currency: string, field: string): number {
  const minor = toMinor(value, currency);
  if (minor === undefined) throw invalid(field, `must have at most ${currencyDigits(currency)} decimals in ${currency}`);
  return minor;
}

/** A tax rate in percent (0-100, up to 3 decimals) as thousandths of a percent. */
export function rateMilliOf(rate: number, field: string): number {
  const milli = rateToMilli(rate);
  if (milli === undefined) throw invalid(field, 'must be a percentage from 0 to 100 with at most 3 decimals');
  return milli;
}

/** The branch-local calendar date (YYYY-MM-DD) of an instant. */
export function localDateOf(timeZone: string, instant: Date | number): string {
  return DateTime.fromMillis(typeof instant === 'number' ? instant : instant.getTime(), { zone: timeZone }).toISODate()!;
}

/** A DATE column as YYYY-MM-DD (mysql2 hands DATE back as a Date at UTC midnight). */
export function dateOnly(value: Date | string | null | undefined): string | null {
  if (!value) return null;
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

export { isRetryableLockError, retryOnDeadlock } from '../../shared/transactions';

/** The unique key a duplicate-entry error names, if it is one. */
export function duplicateKeyOf(err: unknown): string | undefined {
  const e = err as { code?: string; message?: string; driverError?: { code?: string; sqlMessage?: string } };
  const code = e?.driverError?.code ?? e?.code;
  if (code !== 'ER_DUP_ENTRY') return undefined;
  const message = e.driverError?.sqlMessage ?? e.message ?? '';
  return /for key '(?:[^.']*\.)?([^']+)'/.exec(message)?.[1] ?? '';
}
