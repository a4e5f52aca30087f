import { IANAZone } from 'luxon';

import type { Instant, Interval, LocalDate } from './types';

/**
 * Local (wall-clock) time <-> instant conversion in an IANA zone.
 *
 * Local calendar dates are handled internally as "epoch days" (days since
 * 1970-01-01 on the proleptic Gregorian calendar), which is plain arithmetic
 * with no zone involved; only the wall-time <-> instant step consults the zone
 * (through Luxon's IANAZone offsets).
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** Ensures that a search over offsets near a wall time sees both sides of a transition. */
const OFFSET_PROBE_MS = DAY_MS;
/** Bound on memoised UTC days per zone (a few years' worth); the memo is simply reset past it. */
const MAX_MEMO_DAYS = 20_000;

interface UtcDayOffsets {
  /** Offset (ms) from the start of the UTC day... */
  readonly before: number;
  /** ...until this instant (Infinity when the offset does not change that day)... */
  readonly transition: Instant;
  /** ...and from then on. */
  readonly after: number;
}

/**
 * An IANA zone with its UTC offsets memoised per UTC day. Luxon's
 * `IANAZone.offset` goes through `Intl` and costs microseconds; a slot search
 * asks for thousands of offsets, nearly all on the same few days. A day whose
 * offset differs between its two ends has its transition located once by
 * binary search. (Assumes at most one transition per UTC day, true of all
 * modern tz data.)
 */
export class ZoneClock {
  private readonly days = new Map<number, UtcDayOffsets>();

  constructor(private readonly zone: IANAZone) {}

  get name(): string {
    return this.zone.name;
  }

  /** Offset at `instant`, in milliseconds (local = UTC + offset). */
  offsetMs(instant: Instant): number {
    const day = Math.floor(instant / DAY_MS);
    let entry = this.days.get(day);
    if (!entry) {
      if (this.days.size >= MAX_MEMO_DAYS) this.days.clear();
      entry = this.offsetsOfUtcDay(day);
      this.days.set(day, entry);
    }
    return instant < entry.transition ? entry.before : entry.after;
  }

  private rawOffsetMs(instant: Instant): number {
    return this.zone.offset(instant) * MINUTE_MS;
  }

  private offsetsOfUtcDay(day: number): UtcDayOffsets {
    let lo = day * DAY_MS;
    let hi = lo + DAY_MS;
    const before = this.rawOffsetMs(lo);
    const after = this.rawOffsetMs(hi);
    if (before === after) return { before, transition: Number.POSITIVE_INFINITY, after };
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.rawOffsetMs(mid) === before) lo = mid;
      else hi = mid;
    }
    return { before, transition: hi, after };
  }
}

const clocks = new Map<string, ZoneClock>();

export function zoneOf(timeZone: string): ZoneClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    const zone = IANAZone.create(timeZone);
    if (!zone.isValid) throw new Error(`Unknown IANA time zone: ${timeZone}`);
    clock = new ZoneClock(zone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

function offsetMs(zone: ZoneClock, instant: Instant): number {
  return zone.offsetMs(instant);
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `yyyy-MM-dd` -> epoch day. Throws on malformed or impossible dates. */
export function parseLocalDate(date: LocalDate): number {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new Error(`Invalid local date (expected yyyy-MM-dd): ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const roundTrip = new Date(ms);
  if (roundTrip.getUTCMonth() !== month - 1 || roundTrip.getUTCDate() !== day) {
    throw new Error(`Invalid local date: ${date}`);
  }
  return Math.round(ms / DAY_MS);
}

export function formatLocalDate(epochDay: number): LocalDate {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday) of an epoch day; 1970-01-01 was a Thursday. */
export function isoWeekdayOf(epochDay: number): 1 | 2 | 3 | 4 | 5 | 6 | 7 {
  return (((((epochDay + 3) % 7) + 7) % 7) + 1) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
}

/**
 * The instant at which local wall time `minuteOfDay` of local date `epochDay`
 * occurs (`minuteOfDay` may exceed 1440 to mean a later day).
 *
 * - Ambiguous wall time (autumn repeated hour): the EARLIER instant, i.e. the
 *   first occurrence, with the pre-transition (summer) offset.
 * - Non-existent wall time (spring-forward gap): the first instant after the
 *   gap, i.e. the transition instant itself (01:30 on a day when 01:00 jumps
 *   to 02:00 gives 02:00 local). Every wall time in the gap maps there, so a
 *   range that lies entirely in the gap becomes empty.
 */
export function wallTimeToInstant(zone: ZoneClock, epochDay: number, minuteOfDay: number): Instant {
  const wallAsUtc = epochDay * DAY_MS + minuteOfDay * MINUTE_MS;
  const candidateOffsets = new Set([
    offsetMs(zone, wallAsUtc - OFFSET_PROBE_MS),
    offsetMs(zone, wallAsUtc),
    offsetMs(zone, wallAsUtc + OFFSET_PROBE_MS),
  ]);
  let earliest = Number.POSITIVE_INFINITY;
  for (const offset of candidateOffsets) {
    const instant = wallAsUtc - offset;
    if (offsetMs(zone, instant) === offset && instant < earliest) earliest = instant;
  }
  if (earliest !== Number.POSITIVE_INFINITY) return earliest;
  return firstInstantAfterGap(zone, wallAsUtc);
}

/**
 * For a wall time inside a gap: reading it with the post-transition offset
 * gives an instant before the transition, with the pre-transition offset one
 * after it. Binary-search the transition between the two.
 */
function firstInstantAfterGap(zone: ZoneClock, wallAsUtc: number): Instant {
  const before = offsetMs(zone, wallAsUtc - OFFSET_PROBE_MS);
  const after = offsetMs(zone, wallAsUtc + OFFSET_PROBE_MS);
  let lo = wallAsUtc - after; // still on the old offset
  let hi = wallAsUtc - before; // already on the new offset
  if (!(lo < hi)) throw new Error('Inconsistent time-zone data around a gap');
  const loOffset = offsetMs(zone, lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === loOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The local date (epoch day) on which `instant` falls in `zone`. */
export function localEpochDayOf(zone: ZoneClock, instant: Instant): number {
  return Math.floor((instant + offsetMs(zone, instant)) / DAY_MS);
}

/** First instant of a local day (local midnight, or the end of a gap over it). */
export function localDayStart(zone: ZoneClock, epochDay: number): Instant {
  return wallTimeToInstant(zone, epochDay, 0);
}

// ------------------------------------------------------ public conveniences

/** The instant of local `date` + wall time `"HH:mm"` in `timeZone` (same rules as above). */
export function localToInstant(timeZone: string, date: LocalDate, time: string): Instant {
  return wallTimeToInstant(zoneOf(timeZone), parseLocalDate(date), parseWallTime(time, true));
}

/** The local date of `instant` in `timeZone`. */
export function localDateOf(timeZone: string, instant: Instant): LocalDate {
  return formatLocalDate(localEpochDayOf(zoneOf(timeZone), instant));
}

/** `[local midnight, next local midnight)` of `date`: 23, 24 or 25 h long. */
export function localDayBounds(timeZone: string, date: LocalDate): Interval {
  const zone = zoneOf(timeZone);
  const day = parseLocalDate(date);
  return { start: localDayStart(zone, day), end: localDayStart(zone, day + 1) };
}

const WALL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `"HH:mm"` -> minutes after midnight; `"24:00"` only when `allowEndOfDay`. */
export function parseWallTime(time: string, allowEndOfDay: boolean): number {
  if (allowEndOfDay && time === '24:00') return 24 * 60;
  const match = WALL_TIME.exec(time);
  if (!match) throw new Error(`Invalid wall time (expected HH:mm): ${time}`);
  return Number(match[1]) * 60 + Number(match[2]);
}
