import { MINUTE_MS } from './time-zone';
import type { Instant, Interval, ServiceRule, ServiceTiming, StaffQualification } from './types';

/**
 * Where a service placed at a start instant puts the stylist, the client and
 * its room/machine. The use-cases build `busy` from stored appointments with
 * `stylistBlocks`, so the engine and the database agree on what "occupied" is.
 */

export interface Placement {
  readonly start: Instant;
  /** start + duration: the client leaves the chair. */
  readonly end: Instant;
  /** Stylist occupied: the whole span minus the processing gap, buffer included. */
  readonly stylistBlocks: readonly Interval[];
  /** The client's chair time `[start, end)`. */
  readonly clientSpan: Interval;
  /** Room/machine and overall fit span `[start, end + buffer)`. */
  readonly fullSpan: Interval;
}

/**
 * The timing a given staff member works to: their per-staff total duration if
 * set, else the service's. The gap keeps its position and length (processing
 * time is chemistry, not stylist speed); when it no longer fits inside the
 * overridden duration it is dropped, which conservatively occupies the stylist
 * for the whole service.
 */
export function effectiveTiming(service: ServiceTiming, qualification?: StaffQualification): ServiceTiming {
  const durationMinutes = qualification?.durationMinutes ?? service.durationMinutes;
  const gap = service.gap && gapFits(service.gap, durationMinutes) ? service.gap : undefined;
  return {
    durationMinutes,
    bufferAfterMinutes: service.bufferAfterMinutes ?? 0,
    ...(gap ? { gap } : {}),
  };
}

function gapFits(gap: NonNullable<ServiceTiming['gap']>, durationMinutes: number): boolean {
  return gap.startAfterMinutes >= 0 && gap.durationMinutes > 0 && gap.startAfterMinutes + gap.durationMinutes <= durationMinutes;
}

function assertValidTiming(timing: ServiceTiming): void {
  const buffer = timing.bufferAfterMinutes ?? 0;
  if (!(Number.isFinite(timing.durationMinutes) && timing.durationMinutes > 0)) {
    throw new Error(`Invalid service duration: ${timing.durationMinutes}`);
  }
  if (!(Number.isFinite(buffer) && buffer >= 0)) throw new Error(`Invalid service buffer: ${buffer}`);
}

/**
 * Stylist-occupied blocks of a service started at `start`:
 * `[S, S+gapStart)` and `[S+gapStart+gapDuration, S+duration+buffer)`, or one
 * block `[S, S+duration+buffer)` without a (fitting) gap. Empty blocks are left out.
 */
export function stylistBlocks(timing: ServiceTiming, start: Instant): Interval[] {
  return placeService(timing, start).stylistBlocks.slice();
}

export function placeService(timing: ServiceTiming, start: Instant): Placement {
  assertValidTiming(timing);
  const end = start + timing.durationMinutes * MINUTE_MS;
  const fullEnd = end + (timing.bufferAfterMinutes ?? 0) * MINUTE_MS;
  const gap = timing.gap && gapFits(timing.gap, timing.durationMinutes) ? timing.gap : undefined;
  const blocks: Interval[] = gap
    ? [
        { start, end: start + gap.startAfterMinutes * MINUTE_MS },
        {
          start: start + (gap.startAfterMinutes + gap.durationMinutes) * MINUTE_MS,
          end: fullEnd,
        },
      ].filter((b) => b.start < b.end)
    : [{ start, end: fullEnd }];
  return {
    start,
    end,
    stylistBlocks: blocks,
    clientSpan: { start, end },
    fullSpan: { start, end: fullEnd },
  };
}

/** The staff member's qualification for `service`; undefined = unqualified. */
export function qualificationOf(
  staff: {
    readonly qualifications: Readonly<Record<string, StaffQualification>>;
  },
  service: ServiceRule,
): StaffQualification | undefined {
  return Object.hasOwn(staff.qualifications, service.id) ? staff.qualifications[service.id] : undefined;
}
