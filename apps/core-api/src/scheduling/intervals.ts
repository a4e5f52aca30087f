import type { Instant, Interval } from './types';

/**
 * Half-open interval arithmetic. "Merged" lists are sorted by start, with no
 * empty, overlapping or touching members; queries on them are binary searches
 * so a slot search stays O(candidates x log(events)).
 */

export function isEmpty(interval: Interval): boolean {
  return !(interval.start < interval.end);
}

/** Half-open overlap: touching intervals (a.end === b.start) and empty ones never overlap. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end && a.start < a.end && b.start < b.end;
}

/** Sort, drop empties, and join overlapping or adjacent intervals. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => !isEmpty(i)).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const { start, end } of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last.end) {
      if (end > last.end) merged[merged.length - 1] = { start: last.start, end };
    } else {
      merged.push({ start, end });
    }
  }
  return merged;
}

/** `base` minus every `blocks` interval, as a merged list (one sweep). */
export function subtractIntervals(base: readonly Interval[], blocks: readonly Interval[]): Interval[] {
  const from = mergeIntervals(base);
  const cut = mergeIntervals(blocks);
  const result: Interval[] = [];
  let j = 0;
  for (const interval of from) {
    let cursor = interval.start;
    while (j < cut.length && cut[j].end <= cursor) j++;
    // `k` walks the blocks of this interval; `j` stays, a block may reach into the next one.
    for (let k = j; k < cut.length && cut[k].start < interval.end; k++) {
      if (cut[k].start > cursor) result.push({ start: cursor, end: cut[k].start });
      if (cut[k].end > cursor) cursor = cut[k].end;
    }
    if (cursor < interval.end) result.push({ start: cursor, end: interval.end });
  }
  return result;
}

/**
 * Index of the first member of a merged list whose end is after `t`
 * (`list.length` if none). Ends of a merged list are increasing.
 */
export function firstEndingAfter(list: readonly Interval[], t: Instant): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].end > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Does `[start, end)` overlap any member of a merged list? */
export function overlapsMerged(list: readonly Interval[], start: Instant, end: Instant): boolean {
  if (!(start < end)) return false;
  const i = firstEndingAfter(list, start);
  return i < list.length && list[i].start < end;
}

/** Does a single member of a merged list contain all of `[start, end)`? */
export function containedInMerged(list: readonly Interval[], start: Instant, end: Instant): boolean {
  const i = firstEndingAfter(list, start);
  return i < list.length && list[i].start <= start && end <= list[i].end;
}

// -------------------------------------------------------------- occupancy

/** A piece of a usage profile: `count` usages overlap throughout `[start, end)`. */
export interface OccupancySegment extends Interval {
  readonly count: number;
}

/**
 * Step function "how many usages are active" as disjoint sorted segments with
 * count > 0 (a sweep over start/end events: O(n log n)).
 */
export function occupancyProfile(usages: readonly Interval[]): OccupancySegment[] {
  const events: Array<[Instant, number]> = [];
  for (const u of usages) {
    if (isEmpty(u)) continue;
    events.push([u.start, 1], [u.end, -1]);
  }
  events.sort((a, b) => a[0] - b[0]);
  const profile: OccupancySegment[] = [];
  let count = 0;
  let i = 0;
  while (i < events.length) {
    const at = events[i][0];
    while (i < events.length && events[i][0] === at) count += events[i++][1];
    const next = i < events.length ? events[i][0] : at;
    if (count > 0 && next > at) {
      const last = profile[profile.length - 1];
      if (last && last.end === at && last.count === count) {
        profile[profile.length - 1] = { start: last.start, end: next, count };
      } else {
        profile.push({ start: at, end: next, count });
      }
    }
  }
  return profile;
}

/**
 * Highest number of simultaneous usages over `[start, end)`: the profile plus
 * a few `extra` usages (the tentative ones of the request being checked).
 * The maximum of a step function is reached where some piece starts, so only
 * `start` and the starts inside the span need evaluating.
 */
export function peakOccupancy(profile: readonly OccupancySegment[], start: Instant, end: Instant, extra: readonly Interval[] = []): number {
  if (!(start < end)) return 0;
  const first = firstEndingAfter(profile, start);
  let last = first;
  while (last < profile.length && profile[last].start < end) last++;
  const relevantExtra = extra.filter((u) => u.start < end && start < u.end);
  if (relevantExtra.length === 0) {
    let peak = 0;
    for (let i = first; i < last; i++) peak = Math.max(peak, profile[i].count);
    return peak;
  }
  const points = [start];
  for (let i = first; i < last; i++) if (profile[i].start > start) points.push(profile[i].start);
  for (const u of relevantExtra) if (u.start > start) points.push(u.start);
  let peak = 0;
  for (const p of points) {
    let count = 0;
    for (let i = first; i < last; i++) {
      if (profile[i].start <= p && p < profile[i].end) {
        count += profile[i].count;
        break;
      }
    }
    for (const u of relevantExtra) if (u.start <= p && p < u.end) count++;
    peak = Math.max(peak, count);
  }
  return peak;
}
