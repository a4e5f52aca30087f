/**
 * Chairbook scheduling engine: pure functions, no I/O. The availability and
 * booking use-cases load data, call `findSlots` / `checkBooking`, and persist
 * what `checkBooking` resolved. Instants are epoch ms (UTC); intervals are
 * half-open [start, end). Rules chosen where the product brief left room:
 *
 * Time zones
 * - Time is real elapsed time. A non-existent local wall time (spring-forward
 *   gap) maps FORWARD to the first instant after the gap (01:30 -> 02:00 new
 *   time); an ambiguous one (autumn repeated hour) takes the EARLIER instant,
 *   i.e. the first occurrence (summer offset).
 * - Roster shifts belong to the local date they start on; `end <= start` ends
 *   the next day, "24:00" means next midnight. Overrides replace the day's
 *   pattern (last override of a date wins). Touching shifts merge.
 * - The grid counts whole steps of elapsed time from each local day's first
 *   instant, so a 23 h day has 92 quarter-hours and a 25 h day 100.
 *
 * Services and staff
 * - Per-staff duration overrides the total; the gap keeps its position and
 *   length, and is dropped (stylist busy throughout) if it no longer fits.
 * - Stylist blocks: [S, S+gapStart) and [S+gapEnd, S+duration+buffer); client
 *   chair [S, S+duration); room/machine and the working-time fit [S, S+duration+buffer).
 * - Rooms/machines: the first id (string order) with a free unit over the
 *   whole span; ids missing from the resource list have no capacity. A
 *   requested room/machine the service does not list is RESOURCE_NOT_SUITABLE.
 *
 * Slots and chains
 * - Candidates: grid instants in the window + off-grid moments a staff member
 *   eligible for the first service becomes free (working start, end of a
 *   blocked or busy interval). An off-grid start is kept only when it is a free
 *   moment of the stylist assigned to the first service.
 * - Chains run back to back (next start = previous end, or previous end +
 *   buffer when the same stylist continues). Staff are tried depth-first in
 *   the given order; the first full fit wins. A chain's own stylist blocks,
 *   client time and resource usages count against each other exactly like
 *   existing ones (no service is moved into another's gap). The search is
 *   capped per start (default 10 000 nodes): an exhausted start is not offered.
 *
 * Online
 * - Min notice and horizon apply to the booking start (first service start):
 *   start >= now + minNotice and local date <= local today + horizonDays.
 *   Non-online services make the whole selection unbookable; non-online staff
 *   are not considered. The booking start must be a candidate time.
 *
 * checkBooking order of checks: see booking-check.ts (eligibility per
 * schedule, then the online window, then time conflicts per schedule, a
 * conflict inside the request being reported on the later schedule).
 */
export type * from './types';
export { mergeIntervals, overlaps, subtractIntervals } from './intervals';
export { localDateOf, localDayBounds, localToInstant } from './time-zone';
export { resolveWorkingIntervals } from './roster';
export { effectiveTiming, stylistBlocks } from './placement';
export { DEFAULT_SLOT_STEP_MINUTES } from './context';
export {
  DEFAULT_MAX_SEARCH_NODES_PER_START,
  findSlots,
  gridStartTimes,
} from './slots';
export { checkBooking } from './booking-check';
