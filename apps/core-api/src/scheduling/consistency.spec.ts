import { checkBooking } from './booking-check';
import { effectiveTiming, stylistBlocks } from './placement';
import { resolveWorkingIntervals } from './roster';
import { findSlots, gridStartTimes } from './slots';
import { DUBLIN, LONDON, MINUTE, seededRandom } from './test-fixtures';
import { localDayBounds } from './time-zone';
import type {
  ClientCalendar,
  FindSlotsInput,
  Interval,
  OnlineOptions,
  ResourceCalendar,
  ScheduleRequest,
  SchedulingContext,
  SelectionItem,
  ServiceRule,
  StaffCalendar,
} from './types';

/**
 * Property-style: random salons on a sample of days (DST days included) must
 * satisfy "availability = candidate starts filtered by the booking check":
 *   1. every slot findSlots offers is accepted by checkBooking;
 *   2. every grid start that checkBooking accepts (online) is offered by
 *      findSlots, with the same assignment when the staff are fixed.
 */

const DAYS: Array<[string, string]> = [
  [DUBLIN, '2026-03-29'],
  [DUBLIN, '2026-10-25'],
  [LONDON, '2026-03-29'],
  [LONDON, '2026-10-25'],
  [DUBLIN, '2026-06-10'],
  [LONDON, '2026-01-14'],
  [DUBLIN, '2026-12-31'],
  [LONDON, '2026-07-04'],
];
const SEEDS = [1, 2, 3, 4];

interface Scenario {
  readonly context: SchedulingContext & { readonly online: OnlineOptions };
  readonly window: Interval;
  readonly client: ClientCalendar;
  readonly selections: readonly SelectionItem[][];
}

function buildScenario(timeZone: string, date: string, seed: number): Scenario {
  const random = seededRandom(seed * 7919 + date.length * 31 + timeZone.length);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const day = localDayBounds(timeZone, date);

  const services: ServiceRule[] = [
    {
      id: 'cut',
      durationMinutes: 5 * int(4, 9),
      bufferAfterMinutes: pick([0, 5, 10]),
      onlineBookable: true,
    },
    {
      id: 'colour',
      durationMinutes: 90,
      gap: {
        startAfterMinutes: pick([20, 25, 30]),
        durationMinutes: pick([30, 40, 45]),
      },
      bufferAfterMinutes: pick([0, 15]),
      onlineBookable: true,
    },
    {
      id: 'facial',
      durationMinutes: 5 * int(6, 12),
      bufferAfterMinutes: 10,
      roomIds: ['room-2', 'room-1'],
      onlineBookable: true,
    },
    {
      id: 'laser',
      durationMinutes: 20,
      machineIds: ['laser'],
      onlineBookable: random() < 0.8,
    },
  ];
  const roomUsages: Record<string, Interval[]> = { 'room-1': [], 'room-2': [] };
  const laserUsages: Interval[] = [];

  // Rosters include wall times that are non-existent or repeated on DST days.
  const shifts = [
    { start: '09:00', end: '17:00' },
    { start: '00:30', end: '09:15' },
    { start: '01:30', end: '13:00' },
    { start: '12:10', end: '20:00' },
    { start: '22:00', end: '06:00' },
  ];
  const staff: StaffCalendar[] = ['ann', 'bob', 'cat', 'dan'].map((id) => {
    const shift = pick(shifts);
    const working = resolveWorkingIntervals({
      timeZone,
      weekly: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [shift]])),
      fromDate: date,
      toDate: date,
    });
    const qualifications = Object.fromEntries(
      services
        .filter(() => random() < 0.75)
        .map((s) => [s.id, random() < 0.3 ? { durationMinutes: s.durationMinutes + 5 * int(-2, 4) } : {}]),
    );
    const blocked: Interval[] = [];
    if (random() < 0.5 && working.length > 0) {
      const start = working[0].start + int(60, 180) * MINUTE;
      blocked.push({ start, end: start + int(15, 60) * MINUTE });
    }
    // Existing appointments at random (often off-grid) minutes, built like the use-case would.
    const busy: Interval[] = [];
    for (let n = int(0, 8); n > 0; n--) {
      const booked = pick(services);
      const start = day.start + int(0, 24 * 60) * MINUTE;
      const timing = effectiveTiming(booked, qualifications[booked.id]);
      busy.push(...stylistBlocks(timing, start));
      const usage = {
        start,
        end: start + (timing.durationMinutes + (timing.bufferAfterMinutes ?? 0)) * MINUTE,
      };
      if (booked.roomIds) roomUsages[pick(booked.roomIds)].push(usage);
      if (booked.machineIds) laserUsages.push(usage);
    }
    return {
      id,
      onlineBookable: random() < 0.85,
      qualifications,
      working,
      blocked,
      busy,
    };
  });
  const rooms: ResourceCalendar[] = [
    { id: 'room-1', capacity: 1, usages: roomUsages['room-1'] },
    { id: 'room-2', capacity: int(1, 2), usages: roomUsages['room-2'] },
  ];
  const machines: ResourceCalendar[] = [{ id: 'laser', capacity: 1, usages: laserUsages }];

  const clientAppointments: Interval[] = [];
  for (let n = int(0, 2); n > 0; n--) {
    const start = day.start + int(6 * 60, 18 * 60) * MINUTE;
    clientAppointments.push({ start, end: start + int(20, 90) * MINUTE });
  }

  const online: OnlineOptions = {
    now: day.start + int(-24 * 60, 10 * 60) * MINUTE,
    minNoticeMinutes: pick([0, 30, 60, 120]),
    horizonDays: pick([0, 1, 7]),
  };
  const selections: SelectionItem[][] = [
    [{ serviceId: 'cut' }],
    [{ serviceId: 'colour' }],
    [{ serviceId: 'facial' }],
    [{ serviceId: 'laser' }],
    [{ serviceId: 'cut' }, { serviceId: 'colour' }],
    [{ serviceId: 'colour' }, { serviceId: 'facial' }],
    [{ serviceId: 'cut', staffId: pick(staff).id }, { serviceId: 'laser' }],
  ];
  return {
    context: {
      branch: { timeZone, slotStepMinutes: pick([10, 15, 30]) },
      services,
      staff,
      rooms,
      machines,
      online,
    },
    window: day,
    client: { id: 'client', appointments: clientAppointments },
    selections,
  };
}

function offline({ branch, services, staff, rooms, machines }: Scenario['context']): SchedulingContext {
  return {
    branch,
    services,
    staff,
    ...(rooms ? { rooms } : {}),
    ...(machines ? { machines } : {}),
  };
}

function byId<T extends { readonly id: string }>(items: readonly T[], id: string): T {
  const found = items.find((item) => item.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
}

/** The schedules of a chain with a fixed staff assignment, placed back to back as findSlots does. */
function backToBack(context: SchedulingContext, start: number, assignment: ReadonlyArray<{ serviceId: string; staffId: string }>) {
  const schedules: ScheduleRequest[] = [];
  let previous: { staffId: string; end: number; bufferEnd: number } | undefined;
  for (const { serviceId, staffId } of assignment) {
    const timing = effectiveTiming(byId(context.services, serviceId), byId(context.staff, staffId).qualifications[serviceId]);
    const at = !previous ? start : previous.staffId === staffId ? previous.bufferEnd : previous.end;
    schedules.push({ serviceId, staffId, start: at, clientId: 'client' });
    const end = at + timing.durationMinutes * MINUTE;
    previous = {
      staffId,
      end,
      bufferEnd: end + (timing.bufferAfterMinutes ?? 0) * MINUTE,
    };
  }
  return schedules;
}

/** Every fixed staff assignment of a selection (qualified staff only). */
function assignments(context: SchedulingContext, selection: readonly SelectionItem[]) {
  let combos: Array<Array<{ serviceId: string; staffId: string }>> = [[]];
  for (const item of selection) {
    const who = context.staff.filter(
      (s) => (item.staffId === undefined || s.id === item.staffId) && Object.hasOwn(s.qualifications, item.serviceId),
    );
    combos = combos.flatMap((combo) => who.map((s) => [...combo, { serviceId: item.serviceId, staffId: s.id }]));
  }
  return combos;
}

/** Up to `n` items spread evenly through `items`, starting at an offset chosen by `seed`. */
function sample<T>(items: readonly T[], n: number, seed: number): T[] {
  if (items.length <= n) return [...items];
  const stride = items.length / n;
  return Array.from({ length: n }, (_, i) => items[(Math.floor(i * stride) + seed) % items.length]);
}

describe('findSlots and checkBooking agree (random salons, DST days included)', () => {
  const stats = { offered: 0, gridAccepted: 0, gridRefused: 0 };

  describe.each(DAYS)('%s %s', (timeZone, date) => {
    it.each(SEEDS)('seed %i', (seed) => {
      const scenario = buildScenario(timeZone, date, seed);
      const violations: string[] = [];
      const label = (start: number, selection: readonly SelectionItem[], online: boolean) =>
        `${new Date(start).toISOString()} ${selection.map((s) => `${s.serviceId}/${s.staffId ?? 'anyone'}`).join('+')}${online ? ' online' : ''}`;

      for (const context of [scenario.context, offline(scenario.context)]) {
        const online = context.online !== undefined;
        const clients = [scenario.client];
        for (const selection of scenario.selections) {
          const input: FindSlotsInput = {
            ...context,
            window: scenario.window,
            selection,
            client: scenario.client,
          };
          const offered = findSlots(input);

          // 1. Offered => accepted, with and without naming the rooms/machines.
          for (const slot of offered) {
            stats.offered++;
            const schedules = slot.schedules.map((s) => ({
              ...s,
              clientId: 'client',
            }));
            const named = checkBooking({ ...context, clients, schedules });
            if (!named.ok) violations.push(`offered but refused (${named.code}): ${label(slot.start, selection, online)}`);
            const bare = schedules.map(({ serviceId, staffId, start, clientId }) => ({
              serviceId,
              staffId,
              start,
              clientId,
            }));
            const unnamed = checkBooking({
              ...context,
              clients,
              schedules: bare,
            });
            if (!unnamed.ok)
              violations.push(`offered but refused without resources (${unnamed.code}): ${label(slot.start, selection, online)}`);
          }

          // 2. Accepted grid start => offered (same assignment when fixed, some assignment for "anyone").
          const offeredStarts = new Set(offered.map((s) => s.start));
          // At most 4 fixed assignments per selection keep the suite quick; seeds vary which.
          for (const assignment of sample(assignments(context, selection), 4, seed)) {
            const fixedByStart = new Map(findSlots({ ...input, selection: assignment }).map((s) => [s.start, s]));
            for (const start of gridStartTimes(context.branch, scenario.window)) {
              const schedules = backToBack(context, start, assignment);
              if (!checkBooking({ ...context, clients, schedules }).ok) {
                stats.gridRefused++;
                continue;
              }
              stats.gridAccepted++;
              const fixed = fixedByStart.get(start);
              const same = fixed?.schedules.every((s, i) => s.staffId === schedules[i].staffId && s.start === schedules[i].start);
              if (!same) violations.push(`accepted but not offered as fixed: ${label(start, assignment, online)}`);
              if (!offeredStarts.has(start)) violations.push(`accepted but not offered to anyone: ${label(start, selection, online)}`);
            }
          }
        }
      }
      expect(violations).toEqual([]);
    });
  });

  it('was not vacuous: many slots offered, many grid starts accepted and refused', () => {
    expect(stats.offered).toBeGreaterThan(1000);
    expect(stats.gridAccepted).toBeGreaterThan(1000);
    expect(stats.gridRefused).toBeGreaterThan(1000);
  });
});
