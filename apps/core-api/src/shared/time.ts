import { ApiError } from '@chairbook/platform';
import { DateTime } from 'luxon';
import { localToInstant } from '../scheduling';

/**
 * Branch-local dates and times at the API edge. Phorest's appointment reads use a local
 * `appointmentDate` (YYYY-MM-DD) with local `HH:mm:ss` times; instants go out as ISO UTC.
 */
export function parseIsoInstant(value: string, field: string): number {
  const canonical = canonicalInstant(value);
  if (canonical !== undefined) return canonical;
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid || !/[zZ]|[+-]\d{2}:?\d{2}$/.test(value)) {
    throw ApiError.badRequest('VALIDATION_FAILED', `${field} must be an ISO 8601 instant with a zone, e.g. 2026-12-01T09:00:00Z`, [
      { field, message: 'must be an ISO 8601 instant with Z or an offset' },
    ]);
  }
  return parsed.toMillis();
}

const CANONICAL_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/**
 * The instant of the form nearly every caller sends (`2026-12-01T09:00:00Z`, `…+01:00`, with or
 * without seconds and milliseconds), without luxon: ECMAScript's own date-time format, which
 * `Date.parse` reads exactly; a booking paid more for luxon's general ISO parser than for its
 * whole rules check. Only dates that exist and hours 00-23 qualify (`Date.parse` would roll
 * 30 February into March); anything else is undefined and goes to luxon, as before.
 */
function canonicalInstant(value: string): number | undefined {
  const m = CANONICAL_INSTANT.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (Number(m[4]) > 23 || month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function isLocalDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
}

/** A local date range, inclusive, of at most `maxDays` days (Phorest allows 31). */
export function checkDateRange(from: string, to: string, maxDays = 31): void {
  const start = DateTime.fromISO(from);
  const end = DateTime.fromISO(to);
  if (!isLocalDate(from) || !isLocalDate(to)) {
    throw ApiError.badRequest('VALIDATION_FAILED', 'from_date and to_date must be dates (YYYY-MM-DD)', [{ field: 'from_date', message: 'must be a real date' }]);
  }
  if (end < start) throw ApiError.badRequest('INVALID_DATE_RANGE', 'to_date is before from_date', [{ field: 'to_date', message: 'must not be before from_date' }]);
  if (end.diff(start, 'days').days + 1 > maxDays) {
    throw ApiError.badRequest('DATE_RANGE_TOO_LONG', `Max date range allowed is ${maxDays} days`, [{ field: 'to_date', message: `at most ${maxDays} days after from_date` }]);
  }
}

export function localDateTime(timeZone: string, date: string, time: string, field: string): number {
  const hhmm = time.slice(0, 5);
  if (!isLocalDate(date) || !/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(time)) {
    throw ApiError.badRequest('VALIDATION_FAILED', `${field} must be HH:mm or HH:mm:ss with a YYYY-MM-DD date`, [{ field, message: 'must be a local time' }]);
  }
  return localToInstant(timeZone, date, hhmm);
}

export function localParts(timeZone: string, instant: number | Date): { date: string; time: string } {
  const dt = DateTime.fromMillis(typeof instant === 'number' ? instant : instant.getTime(), { zone: timeZone });
  return { date: dt.toISODate()!, time: dt.toFormat('HH:mm:ss') };
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date).plus({ days }).toISODate()!;
}

export const toIso = (instant: number | Date): string => new Date(instant).toISOString();
