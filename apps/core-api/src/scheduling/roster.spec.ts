import { resolveWorkingIntervals } from './roster';
import { DUBLIN, HOUR, isoUtc, localLabel, LONDON } from './test-fixtures';
import type { RosterInput, RosterOverride, WeeklyRoster } from './types';

const hours = (list: ReadonlyArray<{ start: number; end: number }>) => list.map((i) => (i.end - i.start) / HOUR);
const utcPairs = (list: ReadonlyArray<{ start: number; end: number }>) => list.map((i) => `${isoUtc(i.start)} - ${isoUtc(i.end)}`);

describe('resolveWorkingIntervals across DST changes', () => {
  describe.each([DUBLIN, LONDON])('%s', (timeZone) => {
    const resolve = (weekly: WeeklyRoster, fromDate: string, toDate = fromDate) =>
      resolveWorkingIntervals({ timeZone, weekly, fromDate, toDate });

    it.each`
      name                                             | weekly                                       | date            | expected                                     | length
      ${'09:00-17:00 on the spring-forward Sunday'}    | ${{ 7: [{ start: '09:00', end: '17:00' }] }} | ${'2026-03-29'} | ${['2026-03-29T08:00Z - 2026-03-29T16:00Z']} | ${8}
      ${'09:00-17:00 on the fall-back Sunday'}         | ${{ 7: [{ start: '09:00', end: '17:00' }] }} | ${'2026-10-25'} | ${['2026-10-25T09:00Z - 2026-10-25T17:00Z']} | ${8}
      ${'22:00-06:00 over the spring change'}          | ${{ 6: [{ start: '22:00', end: '06:00' }] }} | ${'2026-03-28'} | ${['2026-03-28T22:00Z - 2026-03-29T05:00Z']} | ${7}
      ${'22:00-06:00 over the autumn change'}          | ${{ 6: [{ start: '22:00', end: '06:00' }] }} | ${'2026-10-24'} | ${['2026-10-24T21:00Z - 2026-10-25T06:00Z']} | ${9}
      ${'starts at non-existent 01:30 -> 02:00 local'} | ${{ 7: [{ start: '01:30', end: '05:00' }] }} | ${'2026-03-29'} | ${['2026-03-29T01:00Z - 2026-03-29T04:00Z']} | ${3}
      ${'starts at ambiguous 01:30 -> first one'}      | ${{ 7: [{ start: '01:30', end: '05:00' }] }} | ${'2026-10-25'} | ${['2026-10-25T00:30Z - 2026-10-25T05:00Z']} | ${4.5}
      ${'00:00-00:00 is the whole (23 h) day'}         | ${{ 7: [{ start: '00:00', end: '00:00' }] }} | ${'2026-03-29'} | ${['2026-03-29T00:00Z - 2026-03-29T23:00Z']} | ${23}
      ${'00:00-24:00 is the whole (25 h) day'}         | ${{ 7: [{ start: '00:00', end: '24:00' }] }} | ${'2026-10-25'} | ${['2026-10-24T23:00Z - 2026-10-26T00:00Z']} | ${25}
      ${'a shift wholly inside the gap vanishes'}      | ${{ 7: [{ start: '01:15', end: '01:45' }] }} | ${'2026-03-29'} | ${[]}                                        | ${undefined}
    `('$name', ({ weekly, date, expected, length }) => {
      const intervals = resolve(weekly, date);
      expect(utcPairs(intervals)).toEqual(expected);
      if (length !== undefined) expect(hours(intervals)).toEqual([length]);
    });

    it('a 09:00-17:00 roster is 8 h on every day of March-November 2026', () => {
      const everyDay: WeeklyRoster = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: '09:00', end: '17:00' }]]));
      const intervals = resolve(everyDay, '2026-03-01', '2026-11-30');
      expect(intervals).toHaveLength(275);
      expect(new Set(hours(intervals))).toEqual(new Set([8]));
      // ...and always 09:00 local, whichever the offset.
      expect(new Set(intervals.map((i) => localLabel(i.start, timeZone).slice(11, 16)))).toEqual(new Set(['09:00']));
    });
  });
});

describe('resolveWorkingIntervals: weekly pattern and overrides (June 2026, Mon 8th - Sun 14th)', () => {
  const weekdays: WeeklyRoster = {
    1: [{ start: '09:00', end: '17:00' }],
    2: [{ start: '09:00', end: '17:00' }],
    3: [{ start: '09:00', end: '17:00' }],
    4: [{ start: '09:00', end: '17:00' }],
    5: [{ start: '09:00', end: '17:00' }],
  };
  const resolve = (input: Partial<RosterInput>) =>
    resolveWorkingIntervals({
      timeZone: DUBLIN,
      weekly: weekdays,
      fromDate: '2026-06-08',
      toDate: '2026-06-14',
      ...input,
    }).map((i) => `${localLabel(i.start, DUBLIN).slice(0, 16)} - ${localLabel(i.end, DUBLIN).slice(0, 16)}`);

  const weekdayShifts = [8, 9, 10, 11, 12].map(
    (d) => `2026-06-${String(d).padStart(2, '0')} 09:00 - 2026-06-${String(d).padStart(2, '0')} 17:00`,
  );
  const replace = (list: string[], index: number, ...items: string[]) => [...list.slice(0, index), ...items, ...list.slice(index + 1)];

  it.each<{ name: string; input: Partial<RosterInput>; expected: string[] }>([
    {
      name: 'Monday to Friday, weekend off',
      input: {},
      expected: weekdayShifts,
    },
    {
      name: 'split shift',
      input: {
        weekly: {
          3: [
            { start: '09:00', end: '13:00' },
            { start: '14:00', end: '18:00' },
          ],
        },
      },
      expected: ['2026-06-10 09:00 - 2026-06-10 13:00', '2026-06-10 14:00 - 2026-06-10 18:00'],
    },
    {
      name: 'touching and overlapping ranges merge',
      input: {
        weekly: {
          3: [
            { start: '12:00', end: '17:00' },
            { start: '09:00', end: '12:00' },
            { start: '16:00', end: '19:00' },
          ],
        },
      },
      expected: ['2026-06-10 09:00 - 2026-06-10 19:00'],
    },
    {
      name: 'midnight-spanning shift ends the next day',
      input: { weekly: { 5: [{ start: '22:00', end: '02:00' }] } },
      expected: ['2026-06-12 22:00 - 2026-06-13 02:00'],
    },
    {
      name: 'evening and early-morning shifts on consecutive days join at midnight',
      input: {
        weekly: {
          5: [{ start: '18:00', end: '24:00' }],
          6: [{ start: '00:00', end: '02:00' }],
        },
      },
      expected: ['2026-06-12 18:00 - 2026-06-13 02:00'],
    },
    {
      name: 'a night shift overlapping the next day start merges',
      input: {
        weekly: {
          5: [{ start: '20:00', end: '08:00' }],
          6: [{ start: '07:00', end: '12:00' }],
        },
      },
      expected: ['2026-06-12 20:00 - 2026-06-13 12:00'],
    },
    {
      name: 'day-off override',
      input: { overrides: [{ date: '2026-06-10', kind: 'dayOff' }] },
      expected: replace(weekdayShifts, 2),
    },
    {
      name: 'replacement hours override',
      input: {
        overrides: [
          {
            date: '2026-06-10',
            kind: 'hours',
            intervals: [{ start: '12:00', end: '20:00' }],
          },
        ],
      },
      expected: replace(weekdayShifts, 2, '2026-06-10 12:00 - 2026-06-10 20:00'),
    },
    {
      name: 'override adds hours on a day off in the pattern',
      input: {
        overrides: [
          {
            date: '2026-06-14',
            kind: 'hours',
            intervals: [{ start: '10:00', end: '14:00' }],
          },
        ],
      },
      expected: [...weekdayShifts, '2026-06-14 10:00 - 2026-06-14 14:00'],
    },
    {
      name: 'empty replacement list = day off',
      input: {
        overrides: [{ date: '2026-06-08', kind: 'hours', intervals: [] }],
      },
      expected: weekdayShifts.slice(1),
    },
    {
      name: 'the last override of a date wins',
      input: {
        overrides: [
          { date: '2026-06-10', kind: 'dayOff' },
          {
            date: '2026-06-10',
            kind: 'hours',
            intervals: [{ start: '10:00', end: '11:00' }],
          },
        ] satisfies RosterOverride[],
      },
      expected: replace(weekdayShifts, 2, '2026-06-10 10:00 - 2026-06-10 11:00'),
    },
    {
      name: 'a night shift belongs to its start date: Saturday off does not cut Friday night',
      input: {
        weekly: {
          5: [{ start: '22:00', end: '06:00' }],
          6: [{ start: '22:00', end: '06:00' }],
        },
        overrides: [{ date: '2026-06-13', kind: 'dayOff' }],
      },
      expected: ['2026-06-12 22:00 - 2026-06-13 06:00'],
    },
    {
      name: 'overrides outside the range are ignored',
      input: {
        overrides: [
          {
            date: '2026-06-20',
            kind: 'hours',
            intervals: [{ start: '10:00', end: '11:00' }],
          },
        ],
      },
      expected: weekdayShifts,
    },
    {
      name: 'the previous night is not included unless its date is in the range',
      input: {
        weekly: { 5: [{ start: '22:00', end: '06:00' }] },
        fromDate: '2026-06-13',
      },
      expected: [],
    },
    {
      name: 'an inverted date range is empty',
      input: { fromDate: '2026-06-14', toDate: '2026-06-08' },
      expected: [],
    },
  ])('$name', ({ input, expected }) => {
    expect(resolve(input)).toEqual(expected);
  });

  it.each`
    name                   | input
    ${'bad wall time'}     | ${{ weekly: { 1: [{ start: '9:00', end: '17:00' }] } }}
    ${'24:00 as a start'}  | ${{ weekly: { 1: [{ start: '24:00', end: '02:00' }] } }}
    ${'bad override date'} | ${{ overrides: [{ date: '2026-13-01', kind: 'dayOff' }] }}
    ${'bad zone'}          | ${{ timeZone: 'Europe/Atlantis' }}
  `('rejects $name', ({ input }) => {
    expect(() => resolve(input)).toThrow();
  });
});
