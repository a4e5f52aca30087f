import { containedInMerged, overlaps, overlapsMerged, peakOccupancy } from './intervals';
import { placeService, type Placement } from './placement';
import { isOnGrid, type PreparedClient, type PreparedContext, type PreparedStaff } from './context';
import type { Instant, Interval, RefusalCode, ResourceKind, ServiceRule, ServiceTiming } from './types';

/**
 * The one rule set. `findSlots` and `checkBooking` both place services
 * through `evaluatePlacement` against a `RequestLedger` holding what the same
 * request has already placed, so availability and booking cannot disagree.
 */

export interface Refusal {
  readonly code: RefusalCode;
  readonly reason: string;
}

export interface PlacementRequest {
  readonly service: ServiceRule;
  readonly staff: PreparedStaff;
  /** The staff member's effective timing for the service. */
  readonly timing: ServiceTiming;
  readonly start: Instant;
  readonly client: PreparedClient;
  /** Requested room/machine; absent = pick the first fitting one by id. */
  readonly roomId?: string;
  readonly machineId?: string;
}

export interface AcceptedPlacement {
  readonly staffId: string;
  readonly clientKey: string;
  readonly placement: Placement;
  readonly roomId?: string;
  readonly machineId?: string;
}

export type PlacementOutcome = { readonly ok: true; readonly accepted: AcceptedPlacement } | ({ readonly ok: false } & Refusal);

/** What the request being checked has placed so far (a stack, for backtracking). */
export class RequestLedger {
  private readonly entries: AcceptedPlacement[] = [];

  get placed(): readonly AcceptedPlacement[] {
    return this.entries;
  }

  push(entry: AcceptedPlacement): void {
    this.entries.push(entry);
  }

  pop(): void {
    this.entries.pop();
  }

  stylistOverlaps(staffId: string, blocks: readonly Interval[]): boolean {
    return this.entries.some(
      (e) => e.staffId === staffId && e.placement.stylistBlocks.some((mine) => blocks.some((b) => overlaps(mine, b))),
    );
  }

  clientOverlaps(clientKey: string, span: Interval): boolean {
    return this.entries.some((e) => e.clientKey === clientKey && overlaps(e.placement.clientSpan, span));
  }

  resourceUsages(kind: ResourceKind, id: string): Interval[] {
    return this.entries.filter((e) => (kind === 'room' ? e.roomId : e.machineId) === id).map((e) => e.placement.fullSpan);
  }
}

function refuse(code: RefusalCode, reason: string): { ok: false } & Refusal {
  return { ok: false, code, reason };
}

/**
 * A requested room/machine must be one the service can use (a service with no
 * room requirement cannot be given a room either). Static, so checked early.
 */
export function checkResourceSuitability(
  service: ServiceRule,
  roomId: string | undefined,
  machineId: string | undefined,
): Refusal | undefined {
  if (roomId !== undefined && !(service.roomIds ?? []).includes(roomId)) {
    return {
      code: 'RESOURCE_NOT_SUITABLE',
      reason: `room ${roomId} is not a room of service ${service.id}`,
    };
  }
  if (machineId !== undefined && !(service.machineIds ?? []).includes(machineId)) {
    return {
      code: 'RESOURCE_NOT_SUITABLE',
      reason: `machine ${machineId} is not a machine of service ${service.id}`,
    };
  }
  return undefined;
}

/**
 * Time-dependent checks of one service placement, in this order:
 * STAFF_NOT_WORKING, STAFF_DOUBLE_BOOKED, CLIENT_ALREADY_BOOKED_THIS_TIME,
 * EXCEEDED_ROOM_CAPACITY (room, then machine).
 */
export function evaluatePlacement(ctx: PreparedContext, ledger: RequestLedger, request: PlacementRequest): PlacementOutcome {
  const { service, staff, client } = request;
  const placement = placeService(request.timing, request.start);
  const span = placement.fullSpan;

  if (!containedInMerged(staff.available, span.start, span.end)) {
    return refuse('STAFF_NOT_WORKING', `staff ${staff.id} is not working throughout the service`);
  }
  if (
    placement.stylistBlocks.some((b) => overlapsMerged(staff.busy, b.start, b.end)) ||
    ledger.stylistOverlaps(staff.id, placement.stylistBlocks)
  ) {
    return refuse('STAFF_DOUBLE_BOOKED', `staff ${staff.id} is busy`);
  }
  if (
    overlapsMerged(client.appointments, placement.clientSpan.start, placement.clientSpan.end) ||
    ledger.clientOverlaps(client.key, placement.clientSpan)
  ) {
    return refuse('CLIENT_ALREADY_BOOKED_THIS_TIME', 'the client already has an appointment at this time');
  }
  const roomId = pickResource(ctx, 'room', service.roomIds, request.roomId, span, ledger);
  if (roomId === null) return refuse('EXCEEDED_ROOM_CAPACITY', `no room free for service ${service.id}`);
  const machineId = pickResource(ctx, 'machine', service.machineIds, request.machineId, span, ledger);
  if (machineId === null) return refuse('EXCEEDED_ROOM_CAPACITY', `no machine free for service ${service.id}`);

  return {
    ok: true,
    accepted: {
      staffId: staff.id,
      clientKey: client.key,
      placement,
      ...(roomId !== undefined ? { roomId } : {}),
      ...(machineId !== undefined ? { machineId } : {}),
    },
  };
}

/**
 * `undefined` = no resource needed; `null` = none free; else the id used: the
 * requested one, or the first by id (string order) with a free unit over the
 * whole span. Ids missing from the resource list have no capacity.
 */
function pickResource(
  ctx: PreparedContext,
  kind: ResourceKind,
  allowed: readonly string[] | undefined,
  requested: string | undefined,
  span: Interval,
  ledger: RequestLedger,
): string | undefined | null {
  if (!allowed || allowed.length === 0) return undefined;
  const candidates = requested !== undefined ? [requested] : [...allowed].sort(compareIds);
  for (const id of candidates) {
    const resource = ctx.resource(kind, id);
    if (!resource) continue;
    const peak = peakOccupancy(resource.profile, span.start, span.end, ledger.resourceUsages(kind, id));
    if (peak < resource.capacity) return id;
  }
  return null;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A start time that may be offered: on the grid, or the moment one of
 * `startingStaff` (the stylist(s) whose service begins then) becomes free.
 */
export function isCandidateStart(ctx: PreparedContext, t: Instant, startingStaff: readonly PreparedStaff[]): boolean {
  return isOnGrid(ctx, t) || startingStaff.some((s) => s.freeMoments.has(t));
}

/** Online window check of a booking start (min notice, horizon, candidate time). */
export function checkOnlineStart(ctx: PreparedContext, start: Instant, startingStaff: readonly PreparedStaff[]): Refusal | undefined {
  const window = ctx.online;
  if (!window) return undefined;
  if (start < window.earliestStart)
    return {
      code: 'OUTSIDE_BOOKING_WINDOW',
      reason: 'earlier than the minimum notice',
    };
  if (start >= window.horizonEnd)
    return {
      code: 'OUTSIDE_BOOKING_WINDOW',
      reason: 'beyond the booking horizon',
    };
  if (!isCandidateStart(ctx, start, startingStaff)) {
    return {
      code: 'OUTSIDE_BOOKING_WINDOW',
      reason: 'not an offered start time (off the grid)',
    };
  }
  return undefined;
}
