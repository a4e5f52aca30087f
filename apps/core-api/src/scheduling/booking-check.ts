import { ANONYMOUS_CLIENT, prepareClient, prepareContext, type PreparedClient, type PreparedStaff } from './context';
import { effectiveTiming, qualificationOf } from './placement';
import { checkOnlineStart, checkResourceSuitability, evaluatePlacement, RequestLedger, type Refusal } from './rules';
import type { BookingCheckResult, BookingRefused, CheckBookingInput, ResolvedSchedule, ResourceUsage, ServiceRule } from './types';

/**
 * Validate explicit schedules (one or several clients) with the same rules as
 * `findSlots`. Returns the resolved blocks to persist, or the FIRST refusal:
 *
 * 1. Per schedule, in request order (eligibility, independent of time):
 *    STAFF_UNQUALIFIED (unknown service or staff, or not qualified),
 *    then for online requests SERVICE_NOT_ONLINE_BOOKABLE and
 *    STAFF_NOT_ONLINE_BOOKABLE, then RESOURCE_NOT_SUITABLE (a requested
 *    room/machine the service cannot use).
 * 2. Online requests only, once: the booking start (earliest schedule start)
 *    must respect min notice and the horizon and be an offered start time
 *    (on the grid, or a free moment of a stylist starting then), else
 *    OUTSIDE_BOOKING_WINDOW on the first schedule with that start.
 * 3. Per schedule, in request order, against existing data AND the earlier
 *    schedules of this request: STAFF_NOT_WORKING, STAFF_DOUBLE_BOOKED,
 *    CLIENT_ALREADY_BOOKED_THIS_TIME, EXCEEDED_ROOM_CAPACITY. A conflict
 *    between two schedules of the request is reported on the later one.
 *
 * Unlike `findSlots`, explicit schedules need not be back to back.
 */
export function checkBooking(input: CheckBookingInput): BookingCheckResult {
  const ctx = prepareContext(input);
  const online = input.online !== undefined;
  const { schedules } = input;
  if (schedules.length === 0) throw new Error('checkBooking needs at least one schedule');

  const eligible: Array<{ service: ServiceRule; staff: PreparedStaff }> = [];
  for (const [index, schedule] of schedules.entries()) {
    const service = ctx.services.get(schedule.serviceId);
    const staff = ctx.staff(schedule.staffId);
    if (!service || !staff || !qualificationOf(staff.calendar, service)) {
      return refused(index, {
        code: 'STAFF_UNQUALIFIED',
        reason: `staff ${schedule.staffId} cannot do service ${schedule.serviceId}`,
      });
    }
    if (online && !service.onlineBookable) {
      return refused(index, {
        code: 'SERVICE_NOT_ONLINE_BOOKABLE',
        reason: `service ${service.id} is not bookable online`,
      });
    }
    if (online && !staff.calendar.onlineBookable) {
      return refused(index, {
        code: 'STAFF_NOT_ONLINE_BOOKABLE',
        reason: `staff ${staff.id} is not bookable online`,
      });
    }
    const unsuitable = checkResourceSuitability(service, schedule.roomId, schedule.machineId);
    if (unsuitable) return refused(index, unsuitable);
    eligible.push({ service, staff });
  }

  if (online) {
    const bookingStart = Math.min(...schedules.map((s) => s.start));
    const leading = schedules.flatMap((s, i) => (s.start === bookingStart ? [i] : []));
    const outside = checkOnlineStart(
      ctx,
      bookingStart,
      leading.map((i) => eligible[i].staff),
    );
    if (outside) return refused(leading[0], outside);
  }

  const clients = new Map<string, PreparedClient>();
  for (const client of input.clients ?? []) clients.set(client.id, prepareClient(client));
  const ledger = new RequestLedger();
  const resolved: ResolvedSchedule[] = [];
  for (const [index, schedule] of schedules.entries()) {
    const { service, staff } = eligible[index];
    const clientKey = schedule.clientId ?? ANONYMOUS_CLIENT;
    const client = clients.get(clientKey) ?? {
      key: clientKey,
      appointments: [],
    };
    const outcome = evaluatePlacement(ctx, ledger, {
      service,
      staff,
      timing: effectiveTiming(service, qualificationOf(staff.calendar, service)),
      start: schedule.start,
      client,
      ...(schedule.roomId !== undefined ? { roomId: schedule.roomId } : {}),
      ...(schedule.machineId !== undefined ? { machineId: schedule.machineId } : {}),
    });
    if (!outcome.ok) return refused(index, outcome);
    ledger.push(outcome.accepted);

    const { placement, roomId, machineId } = outcome.accepted;
    const resourceUsages: ResourceUsage[] = [];
    if (roomId !== undefined)
      resourceUsages.push({
        kind: 'room',
        resourceId: roomId,
        ...placement.fullSpan,
      });
    if (machineId !== undefined)
      resourceUsages.push({
        kind: 'machine',
        resourceId: machineId,
        ...placement.fullSpan,
      });
    resolved.push({
      serviceId: service.id,
      staffId: staff.id,
      ...(schedule.clientId !== undefined ? { clientId: schedule.clientId } : {}),
      start: placement.start,
      end: placement.end,
      ...(roomId !== undefined ? { roomId } : {}),
      ...(machineId !== undefined ? { machineId } : {}),
      stylistBlocks: placement.stylistBlocks,
      clientSpan: placement.clientSpan,
      resourceUsages,
    });
  }
  return { ok: true, schedules: resolved };
}

function refused(scheduleIndex: number, refusal: Refusal): BookingRefused {
  return {
    ok: false,
    code: refusal.code,
    scheduleIndex,
    reason: refusal.reason,
  };
}
