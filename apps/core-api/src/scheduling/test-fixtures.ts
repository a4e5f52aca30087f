/**
 * Builders shared by the scheduling specs (no jest globals, so it type-checks
 * with the app too). Times are written as local wall times of one ordinary
 * day in Dublin so that tables read like a salon's book.
 */
import { DateTime } from 'luxon';

import { localToInstant } from './time-zone';
import type { Instant, Interval, ResourceCalendar, ServiceRule, StaffCalendar, StaffQualification } from './types';

export const DUBLIN = 'Europe/Dublin';
export const LONDON = 'Europe/London';
/** A Wednesday in summer time (UTC+1), far from any DST change. */
export const DAY = '2026-06-10';
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Local wall time on DAY in Dublin; "+1 HH:mm" for the following day. */
export function t(time: string): Instant {
  if (time.startsWith('+1 ')) return localToInstant(DUBLIN, '2026-06-11', time.slice(3));
  return localToInstant(DUBLIN, DAY, time);
}

export function span(start: string, end: string): Interval {
  return { start: t(start), end: t(end) };
}

/** Instant -> "HH:mm" in Dublin (tests stay on DAY). */
export function hm(instant: Instant): string {
  return DateTime.fromMillis(instant, { zone: DUBLIN }).toFormat('HH:mm');
}

/** Instant -> "yyyy-MM-dd HH:mm ZZ" in `zone`, to show offsets in DST tables. */
export function localLabel(instant: Instant, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toFormat('yyyy-MM-dd HH:mm ZZ');
}

export function utc(iso: string): Instant {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad ISO instant ${iso}`);
  return ms;
}

export function isoUtc(instant: Instant): string {
  return new Date(instant).toISOString().replace(':00.000Z', 'Z');
}

export function service(id: string, rule: Partial<Omit<ServiceRule, 'id'>> = {}): ServiceRule {
  return { id, durationMinutes: 30, onlineBookable: true, ...rule };
}

export interface StaffSpec {
  /** Service ids, or a full qualification map. */
  readonly can?: readonly string[] | Readonly<Record<string, StaffQualification>>;
  readonly working?: readonly Interval[];
  readonly blocked?: readonly Interval[];
  readonly busy?: readonly Interval[];
  readonly onlineBookable?: boolean;
}

/** A stylist working 09:00-17:00 on DAY unless told otherwise. */
export function stylist(id: string, spec: StaffSpec = {}): StaffCalendar {
  const can = spec.can ?? [];
  const qualifications = Array.isArray(can)
    ? Object.fromEntries((can as readonly string[]).map((s) => [s, {}]))
    : (can as Readonly<Record<string, StaffQualification>>);
  return {
    id,
    onlineBookable: spec.onlineBookable ?? true,
    qualifications,
    working: spec.working ?? [span('09:00', '17:00')],
    blocked: spec.blocked ?? [],
    busy: spec.busy ?? [],
  };
}

export function resource(id: string, capacity: number, usages: readonly Interval[] = []): ResourceCalendar {
  return { id, capacity, usages };
}

/** Deterministic PRNG (mulberry32) for the property-style specs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
