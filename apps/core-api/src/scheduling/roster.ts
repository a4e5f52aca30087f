import { mergeIntervals } from './intervals';
import { isoWeekdayOf, parseLocalDate, parseWallTime, wallTimeToInstant, zoneOf } from './time-zone';
import type { Interval, RosterInput, RosterOverride, WallTimeRange } from './types';

/**
 * Resolve a weekly roster with dated overrides into merged UTC working
 * intervals for the local dates `fromDate..toDate` (inclusive).
 *
 * - A shift belongs to the local date it STARTS on: a 22:00-06:00 shift on
 *   Saturday ends on Sunday morning even if Sunday is a day off. To cover the
 *   whole of local day D, resolve from D-1 so the previous night's shift is in.
 * - An override replaces that date's weekly pattern entirely (`dayOff` = no
 *   shifts starting that day); when a date has several overrides the last wins.
 * - Wall times convert with `wallTimeToInstant`: a non-existent start/end moves
 *   forward to the end of the gap, an ambiguous one takes the first occurrence.
 *   Durations are real elapsed time (22:00-06:00 lasts 7 h or 9 h over a change).
 * - Overlapping or touching shifts are merged, so back-to-back shifts (e.g.
 *   18:00-24:00 and 00:00-02:00) form one working interval.
 */
export function resolveWorkingIntervals(input: RosterInput): Interval[] {
  const zone = zoneOf(input.timeZone);
  const firstDay = parseLocalDate(input.fromDate);
  const lastDay = parseLocalDate(input.toDate);
  const overrides = new Map<number, RosterOverride>();
  for (const override of input.overrides ?? []) overrides.set(parseLocalDate(override.date), override);

  const shifts: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    for (const range of rangesFor(day, input, overrides)) {
      const startMinute = parseWallTime(range.start, false);
      let endMinute = parseWallTime(range.end, true);
      if (endMinute <= startMinute) endMinute += 24 * 60; // ends the next local day
      const start = wallTimeToInstant(zone, day, startMinute);
      const end = wallTimeToInstant(zone, day, endMinute);
      // Both ends inside one spring-forward gap collapse to the same instant.
      if (start < end) shifts.push({ start, end });
    }
  }
  return mergeIntervals(shifts);
}

function rangesFor(day: number, input: RosterInput, overrides: ReadonlyMap<number, RosterOverride>): readonly WallTimeRange[] {
  const override = overrides.get(day);
  if (override) return override.kind === 'dayOff' ? [] : override.intervals;
  return input.weekly[isoWeekdayOf(day)] ?? [];
}
