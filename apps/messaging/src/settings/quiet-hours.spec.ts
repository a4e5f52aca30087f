import { nextSendableTime } from './quiet-hours';

const quiet = { start: '21:00', end: '09:00' };

describe('quiet hours in the branch zone', () => {
  it('lets a message go at once during the day', () => {
    const noon = new Date('2026-06-10T11:00:00Z'); // 12:00 in Dublin (IST)
    expect(nextSendableTime(noon, 'Europe/Dublin', quiet)).toEqual(noon);
  });

  it('holds an evening message until 09:00 local the next morning', () => {
    expect(nextSendableTime(new Date('2026-06-10T20:30:00Z'), 'Europe/Dublin', quiet).toISOString()).toBe('2026-06-11T08:00:00.000Z');
  });

  it('holds an early-morning message until 09:00 local the same day', () => {
    expect(nextSendableTime(new Date('2026-01-10T07:00:00Z'), 'Europe/Dublin', quiet).toISOString()).toBe('2026-01-10T09:00:00.000Z');
  });

  it('uses the local clock across the DST change (spring forward night)', () => {
    // 22:00 on 28 March is GMT; 09:00 on 29 March is IST (08:00 UTC).
    expect(nextSendableTime(new Date('2026-03-28T22:00:00Z'), 'Europe/Dublin', quiet).toISOString()).toBe('2026-03-29T08:00:00.000Z');
  });

  it('supports a quiet window that does not span midnight, and none at all', () => {
    expect(nextSendableTime(new Date('2026-06-10T12:30:00Z'), 'UTC', { start: '12:00', end: '14:00' }).toISOString()).toBe('2026-06-10T14:00:00.000Z');
    const t = new Date('2026-06-10T23:30:00Z');
    expect(nextSendableTime(t, 'UTC', { start: '00:00', end: '00:00' })).toEqual(t);
  });
});
