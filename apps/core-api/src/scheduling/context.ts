import { mergeIntervals, occupancyProfile, subtractIntervals, type OccupancySegment } from './intervals';
import { DAY_MS, localDayStart, localEpochDayOf, MINUTE_MS, zoneOf, type ZoneClock } from './time-zone';
import type {
  ClientCalendar,
  Instant,
  Interval,
  ResourceCalendar,
  ResourceKind,
  SchedulingContext,
  ServiceRule,
  StaffCalendar,
} from './types';

/**
 * The scheduling inputs, indexed once per call so that every placement check
 * is a handful of binary searches.
 */

export const DEFAULT_SLOT_STEP_MINUTES = 15;

export interface PreparedStaff {
  readonly id: string;
  readonly calendar: StaffCalendar;
  /** Working time minus blocked time, merged. */
  readonly available: readonly Interval[];
  /** Existing stylist blocks, merged. */
  readonly busy: readonly Interval[];
  /** Moments this person becomes free: working starts, blocked ends, busy ends. */
  readonly freeMoments: ReadonlySet<Instant>;
}

export interface PreparedResource {
  readonly id: string;
  readonly capacity: number;
  readonly profile: readonly OccupancySegment[];
}

export interface PreparedClient {
  readonly key: string;
  readonly appointments: readonly Interval[];
}

/** The instants an online request may start in: `[earliestStart, horizonEnd)`. */
export interface OnlineWindow {
  readonly earliestStart: Instant;
  readonly horizonEnd: Instant;
}

export interface PreparedContext {
  readonly zone: ZoneClock;
  readonly stepMs: number;
  readonly services: ReadonlyMap<string, ServiceRule>;
  /** In the caller's order: the "anyone" preference order. */
  readonly staffInOrder: readonly StaffCalendar[];
  /** The indexed calendar of a staff member (built on first use). */
  staff(id: string): PreparedStaff | undefined;
  /** The usage profile of a room or machine (built on first use). */
  resource(kind: ResourceKind, id: string): PreparedResource | undefined;
  readonly online?: OnlineWindow;
}

/** The key under which schedules without a client id are grouped. */
export const ANONYMOUS_CLIENT = '';

/**
 * Index the inputs. Staff calendars and resource profiles are built lazily:
 * a booking check touches only the staff and rooms it names, while the
 * use-case may have loaded the whole branch.
 */
export function prepareContext(context: SchedulingContext): PreparedContext {
  const zone = zoneOf(context.branch.timeZone);
  const stepMinutes = context.branch.slotStepMinutes ?? DEFAULT_SLOT_STEP_MINUTES;
  if (!(Number.isInteger(stepMinutes) && stepMinutes > 0)) {
    throw new Error(`Invalid slot step: ${stepMinutes}`);
  }
  const staff = lazyIndex(context.staff, 'staff', prepareStaff);
  const rooms = lazyIndex(context.rooms ?? [], 'room', prepareResource);
  const machines = lazyIndex(context.machines ?? [], 'machine', prepareResource);
  return {
    zone,
    stepMs: stepMinutes * MINUTE_MS,
    services: indexById(context.services, 'service'),
    staffInOrder: context.staff,
    staff,
    resource: (kind, id) => (kind === 'room' ? rooms(id) : machines(id)),
    ...(context.online ? { online: onlineWindow(zone, context.online) } : {}),
  };
}

/** id -> prepared item, preparing each raw item once, on first lookup. */
function lazyIndex<Raw extends { readonly id: string }, Prepared>(
  items: readonly Raw[],
  what: string,
  prepare: (raw: Raw) => Prepared,
): (id: string) => Prepared | undefined {
  const raw = indexById(items, what);
  const prepared = new Map<string, Prepared>();
  return (id) => {
    let item = prepared.get(id);
    if (item === undefined) {
      const source = raw.get(id);
      if (source === undefined) return undefined;
      item = prepare(source);
      prepared.set(id, item);
    }
    return item;
  };
}

function indexById<T extends { readonly id: string }>(items: readonly T[], what: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    if (map.has(item.id)) throw new Error(`Duplicate ${what} id: ${item.id}`);
    map.set(item.id, item);
  }
  return map;
}

function prepareStaff(calendar: StaffCalendar): PreparedStaff {
  const working = mergeIntervals(calendar.working);
  const blocked = mergeIntervals(calendar.blocked ?? []);
  const busy = mergeIntervals(calendar.busy ?? []);
  const freeMoments = new Set<Instant>();
  for (const w of working) freeMoments.add(w.start);
  for (const b of blocked) freeMoments.add(b.end);
  for (const b of busy) freeMoments.add(b.end);
  return {
    id: calendar.id,
    calendar,
    available: subtractIntervals(working, blocked),
    busy,
    freeMoments,
  };
}

function prepareResource(resource: ResourceCalendar): PreparedResource {
  return {
    id: resource.id,
    capacity: resource.capacity,
    profile: occupancyProfile(resource.usages ?? []),
  };
}

export function prepareClient(client: ClientCalendar | undefined): PreparedClient {
  return {
    key: client?.id ?? ANONYMOUS_CLIENT,
    appointments: mergeIntervals(client?.appointments ?? []),
  };
}

function onlineWindow(zone: ZoneClock, online: NonNullable<SchedulingContext['online']>): OnlineWindow {
  const { now, minNoticeMinutes, horizonDays } = online;
  if (!Number.isFinite(now) || !(minNoticeMinutes >= 0) || !(Number.isInteger(horizonDays) && horizonDays >= 0)) {
    throw new Error('Invalid online options');
  }
  const today = localEpochDayOf(zone, online.now);
  return {
    earliestStart: online.now + online.minNoticeMinutes * MINUTE_MS,
    // Start of the day after the last bookable local date.
    horizonEnd: localDayStart(zone, today + online.horizonDays + 1),
  };
}

// ---------------------------------------------------------------- the grid

/** Is `t` on the step grid counted from the local midnight of its own local day? */
export function isOnGrid(ctx: PreparedContext, t: Instant): boolean {
  const dayStart = localDayStart(ctx.zone, localEpochDayOf(ctx.zone, t));
  return (t - dayStart) % ctx.stepMs === 0;
}

/**
 * Grid instants inside `[window.start, window.end)`: for each local day, its
 * first instant plus whole steps of elapsed time, up to the next day's first
 * instant. Counting elapsed time (not wall-clock labels) means no
 * non-existent local time is produced and a repeated hour yields distinct
 * instants: a 23 h day has 92 quarter-hours, a 25 h day 100.
 */
export function gridInstants(ctx: PreparedContext, window: Interval): Instant[] {
  const result: Instant[] = [];
  if (!(window.start < window.end)) return result;
  const lastDay = localEpochDayOf(ctx.zone, window.end - 1);
  let dayStart = localDayStart(ctx.zone, localEpochDayOf(ctx.zone, window.start));
  for (let day = localEpochDayOf(ctx.zone, window.start); day <= lastDay; day++) {
    const nextDayStart = localDayStart(ctx.zone, day + 1);
    const skip = Math.max(0, Math.ceil((window.start - dayStart) / ctx.stepMs));
    for (let t = dayStart + skip * ctx.stepMs; t < nextDayStart && t < window.end; t += ctx.stepMs) result.push(t);
    dayStart = nextDayStart;
  }
  return result;
}

/** Guards against absurd windows (the grid is materialised). */
export const MAX_WINDOW_MS = 400 * DAY_MS;
