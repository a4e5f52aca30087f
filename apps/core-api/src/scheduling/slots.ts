import {
  gridInstants,
  isOnGrid,
  MAX_WINDOW_MS,
  prepareClient,
  prepareContext,
  type PreparedClient,
  type PreparedContext,
  type PreparedStaff,
} from './context';
import { effectiveTiming, qualificationOf } from './placement';
import { evaluatePlacement, RequestLedger, type AcceptedPlacement } from './rules';
import type {
  BranchSettings,
  FindSlotsInput,
  Instant,
  Interval,
  SelectionItem,
  ServiceRule,
  ServiceTiming,
  Slot,
  SlotSchedule,
} from './types';

export const DEFAULT_MAX_SEARCH_NODES_PER_START = 10_000;

interface StaffOption {
  readonly staff: PreparedStaff;
  readonly timing: ServiceTiming;
}

interface ChainItem {
  readonly service: ServiceRule;
  /** Eligible staff in preference order (one entry when a staffId is fixed). */
  readonly options: readonly StaffOption[];
}

/**
 * Every start time in `[window.start, window.end)` at which the selection fits,
 * with the first fitting staff/room/machine assignment (deterministic).
 *
 * Candidates are the step grid plus the off-grid moments at which a staff
 * member eligible for the FIRST service becomes free; an off-grid start is
 * only kept when it is a free moment of the stylist actually assigned to the
 * first service (the point is to fill that stylist's book without gaps).
 *
 * Services run back to back: the next one starts when the previous ends, or
 * after the previous buffer when the same stylist does both. Assignments are
 * searched depth-first in selection order and staff order; the first complete
 * one wins. The search is bounded per start (`maxSearchNodesPerStart`): when
 * exhausted, that start is not offered (conservative, never a double booking).
 */
export function findSlots(input: FindSlotsInput): Slot[] {
  const { window } = input;
  if (window.end - window.start > MAX_WINDOW_MS) throw new Error('Slot search window too long');
  const ctx = prepareContext(input);
  const chain = resolveChain(ctx, input.selection, input.online !== undefined);
  if (!chain) return [];

  const searchWindow = clampToOnlineWindow(ctx, window);
  const client = prepareClient(input.client);
  const budget = input.maxSearchNodesPerStart ?? DEFAULT_MAX_SEARCH_NODES_PER_START;
  const slots: Slot[] = [];
  for (const start of candidateStarts(ctx, searchWindow, chain[0].options)) {
    const schedules = searchChain(ctx, chain, start, client, budget);
    if (schedules) slots.push({ start, schedules });
  }
  return slots;
}

/** Services and eligible staff per selection item; null when some item has nobody. */
function resolveChain(ctx: PreparedContext, selection: readonly SelectionItem[], online: boolean): ChainItem[] | null {
  if (selection.length === 0) return null;
  const chain: ChainItem[] = [];
  for (const item of selection) {
    const service = ctx.services.get(item.serviceId);
    if (!service || (online && !service.onlineBookable)) return null;
    const pool = item.staffId === undefined ? ctx.staffInOrder : ctx.staffInOrder.filter((s) => s.id === item.staffId);
    const options: StaffOption[] = [];
    for (const calendar of pool) {
      const qualification = qualificationOf(calendar, service);
      const staff = ctx.staff(calendar.id);
      if (!staff || !qualification || (online && !calendar.onlineBookable)) continue;
      options.push({ staff, timing: effectiveTiming(service, qualification) });
    }
    if (options.length === 0) return null;
    chain.push({ service, options });
  }
  return chain;
}

function clampToOnlineWindow(ctx: PreparedContext, window: Interval): Interval {
  if (!ctx.online) return window;
  return {
    start: Math.max(window.start, ctx.online.earliestStart),
    end: Math.min(window.end, ctx.online.horizonEnd),
  };
}

/** Grid instants plus free moments of the first service's staff, sorted and unique. */
function candidateStarts(ctx: PreparedContext, window: Interval, firstOptions: readonly StaffOption[]): Instant[] {
  const starts = new Set(gridInstants(ctx, window));
  for (const { staff } of firstOptions) {
    for (const t of staff.freeMoments) if (window.start <= t && t < window.end) starts.add(t);
  }
  return [...starts].sort((a, b) => a - b);
}

function searchChain(
  ctx: PreparedContext,
  chain: readonly ChainItem[],
  chainStart: Instant,
  client: PreparedClient,
  maxNodes: number,
): SlotSchedule[] | null {
  const ledger = new RequestLedger();
  const offGrid = !isOnGrid(ctx, chainStart);
  let nodesLeft = maxNodes;

  const place = (index: number, previous: AcceptedPlacement | undefined): boolean => {
    if (index === chain.length) return true;
    const { service, options } = chain[index];
    for (const { staff, timing } of options) {
      if (--nodesLeft < 0) return false;
      if (index === 0 && offGrid && !staff.freeMoments.has(chainStart)) continue;
      const start = !previous ? chainStart : previous.staffId === staff.id ? previous.placement.fullSpan.end : previous.placement.end;
      const outcome = evaluatePlacement(ctx, ledger, {
        service,
        staff,
        timing,
        start,
        client,
      });
      if (!outcome.ok) continue;
      ledger.push(outcome.accepted);
      if (place(index + 1, outcome.accepted)) return true;
      ledger.pop();
      if (nodesLeft < 0) return false;
    }
    return false;
  };

  if (!place(0, undefined)) return null;
  return ledger.placed.map((accepted, i) => toSlotSchedule(chain[i].service, accepted));
}

function toSlotSchedule(service: ServiceRule, accepted: AcceptedPlacement): SlotSchedule {
  return {
    serviceId: service.id,
    staffId: accepted.staffId,
    start: accepted.placement.start,
    end: accepted.placement.end,
    ...(accepted.roomId !== undefined ? { roomId: accepted.roomId } : {}),
    ...(accepted.machineId !== undefined ? { machineId: accepted.machineId } : {}),
  };
}

/**
 * The branch grid inside `window` (what `findSlots` starts from, before free
 * moments): every step of elapsed time from each local day's first instant.
 */
export function gridStartTimes(branch: BranchSettings, window: Interval): Instant[] {
  if (window.end - window.start > MAX_WINDOW_MS) throw new Error('Grid window too long');
  return gridInstants(prepareContext({ branch, services: [], staff: [] }), window);
}
