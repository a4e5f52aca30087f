import { DUBLIN, HOUR, isoUtc, LONDON, utc } from './test-fixtures';
import { localDateOf, localDayBounds, localToInstant } from './time-zone';

describe('localToInstant (wall time -> instant)', () => {
  describe.each([DUBLIN, LONDON])('%s', (zone) => {
    it.each`
      date            | time       | expected               | why
      ${'2026-06-10'} | ${'09:00'} | ${'2026-06-10T08:00Z'} | ${'summer time, UTC+1'}
      ${'2026-01-14'} | ${'09:00'} | ${'2026-01-14T09:00Z'} | ${'winter time, UTC+0'}
      ${'2026-03-29'} | ${'00:30'} | ${'2026-03-29T00:30Z'} | ${'before the spring gap'}
      ${'2026-03-29'} | ${'01:00'} | ${'2026-03-29T01:00Z'} | ${'gap start does not exist: first instant after the gap'}
      ${'2026-03-29'} | ${'01:30'} | ${'2026-03-29T01:00Z'} | ${'inside the gap: forward to the end of the gap (02:00 local)'}
      ${'2026-03-29'} | ${'01:59'} | ${'2026-03-29T01:00Z'} | ${'last gap minute: same instant'}
      ${'2026-03-29'} | ${'02:00'} | ${'2026-03-29T01:00Z'} | ${'first real wall time after the gap'}
      ${'2026-03-29'} | ${'02:30'} | ${'2026-03-29T01:30Z'} | ${'after the gap, UTC+1'}
      ${'2026-10-25'} | ${'00:30'} | ${'2026-10-24T23:30Z'} | ${'before the repeated hour, UTC+1'}
      ${'2026-10-25'} | ${'01:00'} | ${'2026-10-25T00:00Z'} | ${'ambiguous: the earlier (first, UTC+1) occurrence'}
      ${'2026-10-25'} | ${'01:30'} | ${'2026-10-25T00:30Z'} | ${'ambiguous: the earlier occurrence, not 01:30Z'}
      ${'2026-10-25'} | ${'02:00'} | ${'2026-10-25T02:00Z'} | ${'after the repeated hour, UTC+0'}
      ${'2026-10-25'} | ${'24:00'} | ${'2026-10-26T00:00Z'} | ${'24:00 is the next midnight'}
    `('$date $time -> $expected ($why)', ({ date, time, expected }) => {
      expect(isoUtc(localToInstant(zone, date, time))).toBe(expected);
    });
  });

  it.each`
    zone                  | date            | time       | expected               | why
    ${'America/New_York'} | ${'2026-03-08'} | ${'02:30'} | ${'2026-03-08T07:00Z'} | ${'gap -> 03:00 EDT'}
    ${'America/New_York'} | ${'2026-11-01'} | ${'01:30'} | ${'2026-11-01T05:30Z'} | ${'ambiguous -> EDT occurrence'}
    ${'America/Santiago'} | ${'2026-09-06'} | ${'00:00'} | ${'2026-09-06T04:00Z'} | ${'midnight itself does not exist -> 01:00 -03'}
    ${'America/Santiago'} | ${'2026-09-06'} | ${'00:30'} | ${'2026-09-06T04:00Z'} | ${'not 04:30Z as a shift-by-gap rule would give'}
    ${'America/Santiago'} | ${'2026-04-04'} | ${'23:30'} | ${'2026-04-05T02:30Z'} | ${'repeated 23:xx before midnight -> first (-03)'}
  `('$zone $date $time -> $expected ($why)', ({ zone, date, time, expected }) => {
    expect(isoUtc(localToInstant(zone, date, time))).toBe(expected);
  });

  it.each`
    zone              | date            | time
    ${'Mars/Olympus'} | ${'2026-06-10'} | ${'09:00'}
    ${DUBLIN}         | ${'2026-02-30'} | ${'09:00'}
    ${DUBLIN}         | ${'10/06/2026'} | ${'09:00'}
    ${DUBLIN}         | ${'2026-06-10'} | ${'9:00'}
    ${DUBLIN}         | ${'2026-06-10'} | ${'25:00'}
    ${DUBLIN}         | ${'2026-06-10'} | ${'24:30'}
  `('rejects $zone / $date / $time', ({ zone, date, time }) => {
    expect(() => localToInstant(zone, date, time)).toThrow();
  });
});

describe('localDateOf', () => {
  it.each`
    instant                   | zone                  | expected
    ${'2026-06-10T22:59:59Z'} | ${DUBLIN}             | ${'2026-06-10'}
    ${'2026-06-10T23:00:00Z'} | ${DUBLIN}             | ${'2026-06-11'}
    ${'2026-01-14T23:59:00Z'} | ${LONDON}             | ${'2026-01-14'}
    ${'2026-10-24T23:30:00Z'} | ${DUBLIN}             | ${'2026-10-25'}
    ${'2026-10-25T23:30:00Z'} | ${DUBLIN}             | ${'2026-10-25'}
    ${'2026-06-10T03:00:00Z'} | ${'America/New_York'} | ${'2026-06-09'}
  `('$instant in $zone is $expected', ({ instant, zone, expected }) => {
    expect(localDateOf(zone, utc(instant))).toBe(expected);
  });
});

describe('localDayBounds', () => {
  it.each`
    zone                  | date            | start                  | hours
    ${DUBLIN}             | ${'2026-06-10'} | ${'2026-06-09T23:00Z'} | ${24}
    ${DUBLIN}             | ${'2026-03-29'} | ${'2026-03-29T00:00Z'} | ${23}
    ${DUBLIN}             | ${'2026-10-25'} | ${'2026-10-24T23:00Z'} | ${25}
    ${LONDON}             | ${'2026-03-29'} | ${'2026-03-29T00:00Z'} | ${23}
    ${LONDON}             | ${'2026-10-25'} | ${'2026-10-24T23:00Z'} | ${25}
    ${'America/Santiago'} | ${'2026-09-06'} | ${'2026-09-06T04:00Z'} | ${23}
    ${'America/Santiago'} | ${'2026-04-04'} | ${'2026-04-04T03:00Z'} | ${25}
  `('$zone $date starts $start and lasts $hours h', ({ zone, date, start, hours }) => {
    const bounds = localDayBounds(zone, date);
    expect(isoUtc(bounds.start)).toBe(start);
    expect((bounds.end - bounds.start) / HOUR).toBe(hours);
  });
});
