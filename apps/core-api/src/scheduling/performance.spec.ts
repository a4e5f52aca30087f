import { checkBooking } from './booking-check';
import { effectiveTiming, stylistBlocks } from './placement';
import { findSlots } from './slots';
import { DUBLIN, MINUTE, resource, seededRandom, service, span, stylist, t } from './test-fixtures';
import type { FindSlotsInput, Interval, StaffCalendar } from './types';

/**
 * Performance sanity, not a timed assertion: a busy day for 12 staff with
 * ~15 appointments each (about 0.2-0.3 ms per findSlots once the JIT is
 * warm). Set PERF_REPORT=1 to print the per-call time; the assertions only
 * check the work is real (slots found, all bookable), so a regression to
 * something quadratic shows up as a slow suite rather than a flaky failure.
 */
function busyDay(): FindSlotsInput {
  const random = seededRandom(42);
  const services = [
    service('cut', { durationMinutes: 30, bufferAfterMinutes: 10 }),
    service('colour', {
      durationMinutes: 90,
      gap: { startAfterMinutes: 30, durationMinutes: 45 },
      bufferAfterMinutes: 15,
    }),
    service('facial', { durationMinutes: 45, roomIds: ['room-1', 'room-2'] }),
  ];
  const staff: StaffCalendar[] = Array.from({ length: 12 }, (_, i) => {
    const busy: Interval[] = [];
    // 15 appointments at random minutes of the working day (some overlap, like real data can).
    for (let k = 0; k < 15; k++) {
      const start = t('08:00') + Math.floor(random() * 11 * 60) * MINUTE;
      busy.push(...stylistBlocks(effectiveTiming(services[k % 3 === 0 ? 1 : 0]), start));
    }
    return stylist(`s${String(i).padStart(2, '0')}`, {
      can: ['cut', 'colour', 'facial'],
      working: [span('08:00', '20:00')],
      blocked: [span('13:00', '13:30')],
      busy,
    });
  });
  return {
    branch: { timeZone: DUBLIN },
    services,
    staff,
    rooms: [resource('room-1', 1, [span('10:00', '12:00')]), resource('room-2', 2)],
    window: span('00:00', '+1 00:00'),
    selection: [{ serviceId: 'cut' }, { serviceId: 'colour' }],
    online: { now: t('07:00'), minNoticeMinutes: 60, horizonDays: 30 },
  };
}

describe('performance sanity: 12 staff x 1 day x ~15 appointments', () => {
  const input = busyDay();

  it.each<{ name: string; selection: FindSlotsInput['selection'] }>([
    { name: 'one service, anyone', selection: [{ serviceId: 'cut' }] },
    {
      name: 'two services, anyone',
      selection: [{ serviceId: 'cut' }, { serviceId: 'colour' }],
    },
    {
      name: 'three services with a room, anyone',
      selection: [{ serviceId: 'cut' }, { serviceId: 'facial' }, { serviceId: 'cut' }],
    },
  ])('$name', ({ selection }) => {
    const runs = 20;
    let slots = findSlots({ ...input, selection });
    const started = performance.now();
    for (let i = 0; i < runs; i++) slots = findSlots({ ...input, selection });
    const perCallMs = (performance.now() - started) / runs;
    if (process.env['PERF_REPORT']) process.stdout.write(`findSlots ${selection.length} service(s): ${perCallMs.toFixed(2)} ms\n`);

    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) {
      expect(checkBooking({ ...input, schedules: slot.schedules }).ok).toBe(true);
    }
  });
});
