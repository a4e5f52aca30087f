import { findSlots, gridStartTimes } from './slots';
import { DUBLIN, localLabel, LONDON, service, span, stylist, t } from './test-fixtures';
import { localDayBounds, localToInstant } from './time-zone';

describe('the step grid', () => {
  describe.each([DUBLIN, LONDON])('%s', (timeZone) => {
    const dayGrid = (date: string, slotStepMinutes?: number) =>
      gridStartTimes({ timeZone, ...(slotStepMinutes ? { slotStepMinutes } : {}) }, localDayBounds(timeZone, date));
    const labels = (instants: number[]) => instants.map((i) => localLabel(i, timeZone).slice(11));

    it.each`
      date            | step         | count
      ${'2026-06-10'} | ${undefined} | ${96}
      ${'2026-03-29'} | ${undefined} | ${92}
      ${'2026-10-25'} | ${undefined} | ${100}
      ${'2026-06-10'} | ${10}        | ${144}
      ${'2026-03-29'} | ${10}        | ${138}
      ${'2026-10-25'} | ${10}        | ${150}
      ${'2026-06-10'} | ${30}        | ${48}
      ${'2026-03-29'} | ${30}        | ${46}
      ${'2026-10-25'} | ${30}        | ${50}
    `('$date with step $step has $count starts', ({ date, step, count }) => {
      const grid = dayGrid(date, step);
      expect(grid).toHaveLength(count);
      expect(new Set(grid).size).toBe(count);
    });

    it('spring-forward day: never a non-existent 01:xx, 02:00 follows 00:45', () => {
      const shown = labels(dayGrid('2026-03-29'));
      expect(shown.filter((l) => l.startsWith('01:'))).toEqual([]);
      expect(shown.slice(2, 6)).toEqual(['00:30 +00:00', '00:45 +00:00', '02:00 +01:00', '02:15 +01:00']);
      expect(shown[shown.length - 1]).toBe('23:45 +01:00');
    });

    it('fall-back day: each repeated-hour start appears once per offset', () => {
      const shown = labels(dayGrid('2026-10-25'));
      expect(shown.filter((l) => l.startsWith('01:'))).toEqual([
        '01:00 +01:00',
        '01:15 +01:00',
        '01:30 +01:00',
        '01:45 +01:00',
        '01:00 +00:00',
        '01:15 +00:00',
        '01:30 +00:00',
        '01:45 +00:00',
      ]);
      expect(new Set(shown).size).toBe(100);
      expect(shown[shown.length - 1]).toBe('23:45 +00:00');
    });

    it('a whole DST day of 15-minute services yields 92 / 100 offered slots', () => {
      const countSlots = (date: string) => {
        const day = localDayBounds(timeZone, date);
        return findSlots({
          branch: { timeZone },
          services: [service('trim', { durationMinutes: 15 })],
          staff: [stylist('ann', { can: ['trim'], working: [day] })],
          window: day,
          selection: [{ serviceId: 'trim' }],
        }).length;
      };
      expect(countSlots('2026-03-29')).toBe(92);
      expect(countSlots('2026-10-25')).toBe(100);
    });
  });

  it('restarts from local midnight each day when the step does not divide the day', () => {
    const window = {
      start: localToInstant(DUBLIN, '2026-06-10', '23:00'),
      end: localToInstant(DUBLIN, '2026-06-11', '01:00'),
    };
    const shown = gridStartTimes({ timeZone: DUBLIN, slotStepMinutes: 25 }, window).map((i) => localLabel(i, DUBLIN).slice(11, 16));
    expect(shown).toEqual(['23:20', '23:45', '00:00', '00:25', '00:50']);
  });

  it.each`
    window                                    | expected
    ${span('09:07', '10:00')}                 | ${['09:15', '09:30', '09:45']}
    ${span('09:00', '09:45')}                 | ${['09:00', '09:15', '09:30']}
    ${{ start: t('10:00'), end: t('10:00') }} | ${[]}
  `('only starts inside the half-open window', ({ window, expected }) => {
    const shown = gridStartTimes({ timeZone: DUBLIN }, window).map((i) => localLabel(i, DUBLIN).slice(11, 16));
    expect(shown).toEqual(expected);
  });

  it.each([0, -15, 7.5, Number.NaN])('rejects slot step %p', (slotStepMinutes) => {
    expect(() => gridStartTimes({ timeZone: DUBLIN, slotStepMinutes }, span('09:00', '10:00'))).toThrow();
  });
});
