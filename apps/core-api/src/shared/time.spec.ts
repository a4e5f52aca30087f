import { ApiError } from '@chairbook/platform';
import { DateTime } from 'luxon';
import { parseIsoInstant } from './time';

/** What parseIsoInstant answered before its fast path: luxon for everything. */
function byLuxon(value: string): number | 'invalid' {
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid && /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? parsed.toMillis() : 'invalid';
}

function parsed(value: string): number | 'invalid' {
  try {
    return parseIsoInstant(value, 'startTime');
  } catch {
    return 'invalid';
  }
}

describe('parseIsoInstant', () => {
  it.each([
    ['2026-12-01T09:00:00Z', Date.UTC(2026, 11, 1, 9)],
    ['2026-12-01T09:00Z', Date.UTC(2026, 11, 1, 9)],
    ['2026-12-01T09:00:00.250Z', Date.UTC(2026, 11, 1, 9, 0, 0, 250)],
    ['2026-03-29T01:30:00+01:00', Date.UTC(2026, 2, 29, 0, 30)],
    ['2026-10-25T01:30:00-05:30', Date.UTC(2026, 9, 25, 7)],
    ['2028-02-29T12:00:00Z', Date.UTC(2028, 1, 29, 12)],
  ])('reads %s', (value, expected) => {
    expect(parseIsoInstant(value, 'startTime')).toBe(expected);
  });

  it.each(['2026-02-30T10:00:00Z', '2027-02-29T10:00:00Z', '2026-13-01T09:00:00Z', '2026-12-01T09:60:00Z', '2026-12-01T09:00:00', '2026-12-01', 'tomorrow', ''])(
    'refuses %p with VALIDATION_FAILED',
    (value) => {
      let error: unknown;
      try {
        parseIsoInstant(value, 'startTime');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).getStatus()).toBe(400);
      expect((error as ApiError).getResponse()).toMatchObject({ code: 'VALIDATION_FAILED' });
    },
  );

  it('answers exactly as luxon did, canonical form or not', () => {
    const values = [
      '2026-02-28T24:00:00Z',
      '2026-12-01T09:00:00.1234Z',
      '2026-12-01T09:00:00+0100',
      '2026-12-01T09:00:00-00:00',
      '+002026-12-01T09:00:00Z',
      '2026-12-01t09:00:00z',
      '2026-12-01T09:00:60Z',
      '2026-12-01T09:00:00+24:00',
      '0000-02-29T00:00:00Z',
      '0050-06-01T00:00:00Z',
    ];
    // and a spread of canonical ones: every month end, offsets both ways, with and without seconds
    for (let month = 1; month <= 12; month++) {
      for (const day of [1, 28, 29, 30, 31]) {
        for (const zone of ['Z', '+01:00', '-03:30', '+14:00']) {
          const date = `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          values.push(`${date}T23:59:59.999${zone}`, `${date}T00:00${zone}`, `${date.replace('2024', '2025')}T12:30:15${zone}`);
        }
      }
    }
    const differing = values.filter((v) => parsed(v) !== byLuxon(v));
    expect(differing).toEqual([]);
    expect(values.filter((v) => parsed(v) === 'invalid').length).toBeGreaterThan(10);
  });
});
