/**
 * Chairbook scheduling engine: pure functions, no I/O, no Nest. The
 * availability and booking use-cases load data, call `findSlots` /
 * `checkBooking`, and persist what `checkBooking` resolved. Instants are epoch
 * ms (UTC); intervals are half-open [start, end), so touching intervals never
 * conflict. Rules chosen where the product brief left room:
 *
 * Time zones (Luxon IANA offsets, memoised per UTC day)
 * - Time is real elapsed time. A non-existent local wall time (spring-forward
 *   gap) maps FORWARD to the first instant after the gap (01:30 -> 02:00 new
 *   time, so a shift wholly inside the gap is empty); an ambiguous one (autumn
 *   repeated hour) takes the EARLIER instant, i.e. the first occurrence with
 *   the summer offset.
 * - A local day D is [first instant of D, first instant of D+1): 23, 24 or 25 h.
 * - Roster shifts belong to the local date they start on (resolve from D-1 to
 *   cover D's early hours); `end <= start` ends the next day; "24:00" means the
 *   next midnight. An override replaces that date's pattern (the last override
 *   of a date wins). Overlapping or touching shifts merge.
 * - The grid is every slot step of elapsed time from the start of each local
 *   day: a 23 h day has 92 quarter-hours, a 25 h day 100, and no label is
 *   ever a non-existent local time.
 *
 * Services and staff
 * - Per-staff `durationMinutes` replaces the total; the gap keeps its position
 *   and length (processing time is chemistry), and is dropped (stylist busy
 *   throughout, the safe side) when it no longer fits inside the new duration.
 * - Stylist blocks [S, S+gapStart) and [S+gapEnd, S+duration+buffer); client
 *   chair [S, S+duration); room/machine and the working-time fit
 *   [S, S+duration+buffer). Build `busy` from stored appointments with
 *   `stylistBlocks(effectiveTiming(service, qualification), start)` (or store
 *   the blocks `checkBooking` returns, which are the same).
 * - Rooms/machines: the first id in string order with a free unit over the
 *   whole span; ids missing from the resource list have no capacity. A
 *   requested room/machine the service does not list (or for a service that
 *   needs none) is RESOURCE_NOT_SUITABLE; a full one is EXCEEDED_ROOM_CAPACITY.
 *
 * Slots and chains (`findSlots` is the only availability logic)
 * - Candidate starts lie in [window.start, window.end) (services may end after
 *   it): grid instants + off-grid moments at which a staff member eligible for
 *   the FIRST service becomes free (working start, end of a blocked or busy
 *   interval). An off-grid start is kept only if it is a free moment of the
 *   stylist actually assigned to the first service: filling their book.
 * - Chains run back to back: next start = previous end, or previous end +
 *   buffer when the same stylist continues. Staff are tried depth-first in the
 *   given order; the first complete fit wins. A chain's own stylist blocks,
 *   client time and room/machine usages count against each other exactly like
 *   existing ones; services are never moved into one another's gap. The search
 *   is capped per start (default 10 000 nodes); an exhausted start is not offered.
 * - Unknown services, or an item nobody eligible can do, give no slots.
 *
 * Online (`online` present)
 * - The booking start (first service start) must be >= now + minNotice, on a
 *   local date <= local today + horizonDays, and a candidate time (grid, or a
 *   free moment of a stylist starting then). Later services of the booking may
 *   fall past the horizon day or off the grid.
 * - A non-online service makes the whole selection unavailable; non-online
 *   staff are never assigned.
 *
 * checkBooking: schedules are explicit (need not be back to back) and grouped
 * by `clientId` (absent = one anonymous client). First refusal wins, in order:
 * 1. per schedule in request order: STAFF_UNQUALIFIED (unknown service or
 *    staff, or unqualified), SERVICE_NOT_ONLINE_BOOKABLE,
 *    STAFF_NOT_ONLINE_BOOKABLE, RESOURCE_NOT_SUITABLE;
 * 2. online only: OUTSIDE_BOOKING_WINDOW on the earliest-starting schedule;
 * 3. per schedule in request order, against stored data and the earlier
 *    schedules of the request (so a clash is reported on the later one):
 *    STAFF_NOT_WORKING, STAFF_DOUBLE_BOOKED, CLIENT_ALREADY_BOOKED_THIS_TIME,
 *    EXCEEDED_ROOM_CAPACITY (room, then machine).
 * Because both functions place services through the same check, every slot
 * `findSlots` offers is accepted by `checkBooking`, and every grid start that
 * `checkBooking` accepts is offered (see consistency.spec.ts).
 */
export type * from './types';
export { mergeIntervals, overlaps, subtractIntervals } from './intervals';
export { localDateOf, localDayBounds, localToInstant } from './time-zone';
export { resolveWorkingIntervals } from './roster';
export { effectiveTiming, stylistBlocks } from './placement';
export { DEFAULT_SLOT_STEP_MINUTES } from './context';
export { DEFAULT_MAX_SEARCH_NODES_PER_START, findSlots, gridStartTimes } from './slots';
export { checkBooking } from './booking-check';
