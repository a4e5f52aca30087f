import { effectiveTiming, stylistBlocks } from './placement';
import { findSlots } from './slots';
import { hm, MINUTE, resource, service, span, stylist, t, utc, DUBLIN, localLabel } from './test-fixtures';
import type { FindSlotsInput, ServiceRule, Slot, StaffCalendar } from './types';

/**
 * Defaults: one 30-minute "cut", stylist "ann" working 09:00-17:00 on DAY,
 * offline request over the whole working day.
 */
const cut = service('cut', { durationMinutes: 30 });

function slots(input: Partial<FindSlotsInput> = {}): Slot[] {
  return findSlots({
    branch: { timeZone: DUBLIN },
    services: [cut],
    staff: [stylist('ann', { can: ['cut'] })],
    window: span('09:00', '17:00'),
    selection: [{ serviceId: 'cut' }],
    ...input,
  });
}

const starts = (found: readonly Slot[]) => found.map((s) => hm(s.start));

/** "HH:mm ann" per slot and service, to show who got what. */
const assignments = (found: readonly Slot[]) =>
  found.map((s) => s.schedules.map((x) => `${hm(x.start)}-${hm(x.end)} ${x.serviceId}/${x.staffId}`).join(', '));

describe('findSlots: working time, breaks, time off', () => {
  it('offers every grid start whose whole span fits the working day', () => {
    const found = starts(slots());
    expect(found[0]).toBe('09:00');
    expect(found[found.length - 1]).toBe('16:30');
    expect(found).toHaveLength(31);
  });

  it.each<{
    name: string;
    staff: StaffCalendar;
    window?: ReturnType<typeof span>;
    expected: string[];
  }>([
    {
      name: 'a break removes the starts that would overlap it (adjacent is fine)',
      staff: stylist('ann', {
        can: ['cut'],
        blocked: [span('12:00', '12:30')],
      }),
      window: span('11:15', '13:00'),
      expected: ['11:15', '11:30', '12:30', '12:45'],
    },
    {
      name: 'afternoon time off',
      staff: stylist('ann', {
        can: ['cut'],
        blocked: [span('13:00', '17:00')],
      }),
      window: span('12:00', '17:00'),
      expected: ['12:00', '12:15', '12:30'],
    },
    {
      name: 'a split shift: no start straddles the hole',
      staff: stylist('ann', {
        can: ['cut'],
        working: [span('09:00', '10:00'), span('10:15', '11:00')],
      }),
      expected: ['09:00', '09:15', '09:30', '10:15', '10:30'],
    },
    {
      name: 'touching working intervals behave as one',
      staff: stylist('ann', {
        can: ['cut'],
        working: [span('09:00', '10:00'), span('10:00', '10:30')],
      }),
      expected: ['09:00', '09:15', '09:30', '09:45', '10:00'],
    },
    {
      name: 'a midnight-spanning shift offers starts on both sides of midnight',
      staff: stylist('ann', {
        can: ['cut'],
        working: [span('23:00', '+1 01:00')],
      }),
      window: span('22:00', '+1 03:00'),
      expected: ['23:00', '23:15', '23:30', '23:45', '00:00', '00:15', '00:30'],
    },
    {
      name: 'not working at all',
      staff: stylist('ann', { can: ['cut'], working: [] }),
      expected: [],
    },
  ])('$name', ({ staff, window, expected }) => {
    expect(starts(slots({ staff: [staff], ...(window ? { window } : {}) }))).toEqual(expected);
  });
});

describe('findSlots: buffers', () => {
  // An existing 30-minute service at 10:00 with a 15-minute buffer: ann is busy 10:00-10:45.
  const existing = stylistBlocks({ durationMinutes: 30, bufferAfterMinutes: 15 }, t('10:00'));

  it.each<{ name: string; rule: ServiceRule; expected: string[] }>([
    {
      name: "an appointment's buffer blocks the next start until it ends",
      rule: cut,
      expected: ['09:00', '09:15', '09:30', '10:45', '11:00', '11:15'],
    },
    {
      name: "the new service's own buffer must fit before the next appointment",
      rule: service('cut', { durationMinutes: 30, bufferAfterMinutes: 15 }),
      expected: ['09:00', '09:15', '10:45', '11:00'],
    },
    {
      name: 'a buffer must fit inside working time as well',
      rule: service('cut', { durationMinutes: 30, bufferAfterMinutes: 30 }),
      expected: ['09:00', '10:45'],
    },
  ])('$name', ({ rule, expected }) => {
    const staff = [
      stylist('ann', {
        can: ['cut'],
        busy: existing,
        working: [span('09:00', '11:45')],
      }),
    ];
    expect(starts(slots({ services: [rule], staff }))).toEqual(expected);
  });

  it('back-to-back bookings: a slot ending exactly when the next begins is offered', () => {
    const staff = [
      stylist('ann', {
        can: ['cut'],
        busy: [span('09:30', '10:00')],
        working: [span('09:00', '10:30')],
      }),
    ];
    expect(assignments(slots({ staff }))).toEqual(['09:00-09:30 cut/ann', '10:00-10:30 cut/ann']);
  });
});

describe('findSlots: gap (processing) time', () => {
  // Colour at 10:00: 90 minutes, stylist free 10:30-11:15 while it processes, 15-minute buffer.
  const colour = service('colour', {
    durationMinutes: 90,
    gap: { startAfterMinutes: 30, durationMinutes: 45 },
    bufferAfterMinutes: 15,
  });
  const colourBlocks = stylistBlocks(effectiveTiming(colour), t('10:00'));
  const staff = [
    stylist('ann', {
      can: ['cut', 'fringe', 'long', 'cut+buffer'],
      busy: colourBlocks,
    }),
  ];
  const services = [
    cut,
    service('fringe', { durationMinutes: 45 }),
    service('long', { durationMinutes: 50 }),
    service('cut+buffer', { durationMinutes: 30, bufferAfterMinutes: 15 }),
  ];

  it('the stylist blocks exclude the gap and include the buffer', () => {
    expect(colourBlocks.map((b) => `${hm(b.start)}-${hm(b.end)}`)).toEqual(['10:00-10:30', '11:15-11:45']);
  });

  it.each`
    serviceId       | expected              | why
    ${'cut'}        | ${['10:30', '10:45']} | ${'30 min fits inside the 45-min gap, ending at its end at the latest'}
    ${'fringe'}     | ${['10:30']}          | ${'45 min exactly fills the gap'}
    ${'long'}       | ${[]}                 | ${'50 min overflows the gap'}
    ${'cut+buffer'} | ${['10:30']}          | ${'30 min + 15 buffer only fits from the gap start'}
  `('$serviceId: $expected ($why)', ({ serviceId, expected }) => {
    const found = slots({
      services,
      staff,
      selection: [{ serviceId }],
      window: span('09:45', '11:45'),
    });
    expect(starts(found)).toEqual(expected);
  });

  it("the colour client's own chair stays occupied during the gap", () => {
    const client = {
      id: 'colour-client',
      appointments: [span('10:00', '11:30')],
    };
    expect(starts(slots({ services, staff, client, window: span('09:45', '11:45') }))).toEqual([]);
    const other = { id: 'someone-else', appointments: [] };
    expect(
      starts(
        slots({
          services,
          staff,
          client: other,
          window: span('09:45', '11:45'),
        }),
      ),
    ).toEqual(['10:30', '10:45']);
  });

  it('the start of a processing gap is a free moment (offered off the grid)', () => {
    const offGridColour = service('colour', {
      durationMinutes: 90,
      gap: { startAfterMinutes: 25, durationMinutes: 50 },
    });
    const busy = stylistBlocks(effectiveTiming(offGridColour), t('10:00'));
    const found = slots({
      staff: [stylist('ann', { can: ['cut'], busy })],
      window: span('10:00', '11:30'),
    });
    expect(starts(found)).toEqual(['10:25', '10:30', '10:45']);
  });
});

describe('effectiveTiming (per-staff duration) and stylistBlocks', () => {
  const colour = service('colour', {
    durationMinutes: 90,
    gap: { startAfterMinutes: 30, durationMinutes: 45 },
    bufferAfterMinutes: 10,
  });
  it.each`
    qualification               | blocks                            | why
    ${{}}                       | ${['10:00-10:30', '11:15-11:40']} | ${'service timing'}
    ${{ durationMinutes: 120 }} | ${['10:00-10:30', '11:15-12:10']} | ${'longer: the gap keeps its place, the stylist works longer after it'}
    ${{ durationMinutes: 75 }}  | ${['10:00-10:30', '11:15-11:25']} | ${'gap ends exactly at the end: only the buffer remains after it'}
    ${{ durationMinutes: 60 }}  | ${['10:00-11:10']}                | ${'gap no longer fits: dropped, stylist busy throughout'}
  `('$qualification -> $blocks ($why)', ({ qualification, blocks }) => {
    const shown = stylistBlocks(effectiveTiming(colour, qualification), t('10:00')).map((b) => `${hm(b.start)}-${hm(b.end)}`);
    expect(shown).toEqual(blocks);
  });

  it.each([
    { durationMinutes: 0 },
    { durationMinutes: -5 },
    { durationMinutes: 30, bufferAfterMinutes: -1 },
    { durationMinutes: Number.NaN },
  ])('rejects invalid timing %p', (timing) => {
    expect(() => stylistBlocks(timing, t('10:00'))).toThrow();
  });
});

describe('findSlots: online rules', () => {
  const online = (now: string | number, minNoticeMinutes: number, horizonDays = 30) => ({
    now: typeof now === 'number' ? now : t(now),
    minNoticeMinutes,
    horizonDays,
  });

  it.each`
    now        | notice | first        | why
    ${'09:00'} | ${0}   | ${'09:00'}   | ${'no notice: now itself'}
    ${'09:05'} | ${60}  | ${'10:15'}   | ${'first grid start after now + 60 min'}
    ${'09:05'} | ${55}  | ${'10:00'}   | ${'exactly now + notice is allowed'}
    ${'08:00'} | ${120} | ${'10:00'}   | ${'notice reaching into working time'}
    ${'16:00'} | ${60}  | ${undefined} | ${'nothing left today'}
  `('min notice: now $now + $notice min -> first $first ($why)', ({ now, notice, first }) => {
    expect(starts(slots({ online: online(now, notice) }))[0]).toBe(first);
  });

  it.each`
    notice        | horizon
    ${-1}         | ${7}
    ${Number.NaN} | ${7}
    ${0}          | ${-1}
    ${0}          | ${1.5}
  `('rejects notice $notice / horizon $horizon', ({ notice, horizon }) => {
    expect(() => slots({ online: online('09:00', notice, horizon) })).toThrow();
  });

  it('without online options, notice does not apply', () => {
    expect(starts(slots())[0]).toBe('09:00');
  });

  describe('booking horizon (by local date)', () => {
    const threeDays = {
      start: t('00:00'),
      end: t('00:00') + 3 * 24 * 60 * MINUTE,
    };
    const workingEveryDay = [0, 1, 2].map((d) => ({
      start: t('09:00') + d * 24 * 60 * MINUTE,
      end: t('17:00') + d * 24 * 60 * MINUTE,
    }));
    const localDates = (found: readonly Slot[]) => [...new Set(found.map((s) => localLabel(s.start, DUBLIN).slice(0, 10)))];

    it.each`
      now                       | horizonDays | dates                                         | why
      ${'2026-06-10T11:00:00Z'} | ${0}        | ${['2026-06-10']}                             | ${'today only'}
      ${'2026-06-10T11:00:00Z'} | ${1}        | ${['2026-06-10', '2026-06-11']}               | ${'today and tomorrow'}
      ${'2026-06-10T11:00:00Z'} | ${5}        | ${['2026-06-10', '2026-06-11', '2026-06-12']} | ${'beyond the window'}
      ${'2026-06-10T23:30:00Z'} | ${0}        | ${['2026-06-11']}                             | ${'23:30 UTC is already the 11th in Dublin'}
    `('now $now, horizon $horizonDays -> $dates ($why)', ({ now, horizonDays, dates }) => {
      const found = slots({
        window: threeDays,
        staff: [stylist('ann', { can: ['cut'], working: workingEveryDay })],
        online: online(utc(now), 0, horizonDays),
      });
      expect(localDates(found)).toEqual(dates);
    });

    it('the last bookable local day is offered up to its end', () => {
      const found = slots({
        window: threeDays,
        staff: [stylist('ann', { can: ['cut'], working: workingEveryDay })],
        online: online('09:00', 0, 1),
      });
      expect(localLabel(found[found.length - 1].start, DUBLIN)).toBe('2026-06-11 16:30 +01:00');
    });
  });

  it.each<{
    name: string;
    services: ServiceRule[];
    staff: StaffCalendar[];
    selection: FindSlotsInput['selection'];
    expectedStaff: string[];
  }>([
    {
      name: 'a service that is not online bookable is never offered online',
      services: [service('cut', { onlineBookable: false })],
      staff: [stylist('ann', { can: ['cut'] })],
      selection: [{ serviceId: 'cut' }],
      expectedStaff: [],
    },
    {
      name: '"anyone" skips staff that are not online bookable',
      services: [cut],
      staff: [stylist('ann', { can: ['cut'], onlineBookable: false }), stylist('bob', { can: ['cut'] })],
      selection: [{ serviceId: 'cut' }],
      expectedStaff: ['bob'],
    },
    {
      name: 'a fixed staff member that is not online bookable gives nothing',
      services: [cut],
      staff: [stylist('ann', { can: ['cut'], onlineBookable: false }), stylist('bob', { can: ['cut'] })],
      selection: [{ serviceId: 'cut', staffId: 'ann' }],
      expectedStaff: [],
    },
    {
      name: 'one non-online service in a chain makes the whole chain unavailable',
      services: [cut, service('dry', { onlineBookable: false })],
      staff: [stylist('ann', { can: ['cut', 'dry'] })],
      selection: [{ serviceId: 'cut' }, { serviceId: 'dry' }],
      expectedStaff: [],
    },
  ])('$name', ({ services, staff, selection, expectedStaff }) => {
    const found = slots({
      services,
      staff,
      selection,
      online: online('08:00', 0),
    });
    expect([...new Set(found.flatMap((s) => s.schedules.map((x) => x.staffId)))]).toEqual(expectedStaff);
    // ...while an offline (front desk) request may still use them.
    expect(slots({ services, staff, selection }).length).toBeGreaterThan(0);
  });
});

describe('findSlots: slot step and off-grid free moments', () => {
  it.each`
    step  | expected
    ${10} | ${['09:00', '09:10', '09:20', '09:30']}
    ${15} | ${['09:00', '09:15', '09:30']}
    ${30} | ${['09:00', '09:30']}
  `('step $step', ({ step, expected }) => {
    const staff = [stylist('ann', { can: ['cut'], working: [span('09:00', '10:00')] })];
    expect(starts(slots({ branch: { timeZone: DUBLIN, slotStepMinutes: step }, staff }))).toEqual(expected);
  });

  it.each<{
    name: string;
    spec: Parameters<typeof stylist>[1];
    window?: ReturnType<typeof span>;
    expected: string[];
  }>([
    {
      name: 'end of an appointment off the grid',
      spec: {
        busy: [span('09:00', '09:20')],
        working: [span('09:00', '10:30')],
      },
      expected: ['09:20', '09:30', '09:45', '10:00'],
    },
    {
      name: 'working time starting off the grid',
      spec: { working: [span('09:10', '10:30')] },
      expected: ['09:10', '09:15', '09:30', '09:45', '10:00'],
    },
    {
      name: 'end of a break off the grid',
      spec: {
        blocked: [span('09:00', '09:50')],
        working: [span('09:00', '10:30')],
      },
      expected: ['09:50', '10:00'],
    },
    {
      name: 'a free moment before the window is not offered',
      spec: {
        busy: [span('09:00', '09:20')],
        working: [span('09:00', '10:30')],
      },
      window: span('09:25', '10:30'),
      expected: ['09:30', '09:45', '10:00'],
    },
    {
      name: 'an off-grid free moment is still subject to the fit rules',
      spec: {
        busy: [span('09:00', '09:20'), span('09:40', '10:00')],
        working: [span('09:00', '10:30')],
      },
      expected: ['10:00'],
    },
  ])('$name', ({ spec, window, expected }) => {
    const staff = [stylist('ann', { can: ['cut'], ...spec })];
    expect(starts(slots({ staff, ...(window ? { window } : {}) }))).toEqual(expected);
  });

  it("another stylist's free moment is not a candidate for someone else", () => {
    const staff = [
      stylist('bob', { can: ['cut'], working: [span('09:00', '10:00')] }),
      stylist('ann', {
        can: ['cut'],
        busy: [span('09:00', '09:20')],
        working: [span('09:00', '10:00')],
      }),
      stylist('cat', {
        busy: [span('09:00', '09:05')],
        working: [span('09:00', '10:00')],
      }), // not qualified
    ];
    // 09:20 is ann's free moment: bob comes first in order but 09:20 is not *his*
    // free moment, so ann takes it. 09:05 (cat, unqualified) is never offered.
    expect(assignments(slots({ staff, window: span('09:00', '09:45') }))).toEqual([
      '09:00-09:30 cut/bob',
      '09:15-09:45 cut/bob',
      '09:20-09:50 cut/ann',
      '09:30-10:00 cut/bob',
    ]);
  });

  it('online: an off-grid free moment before the minimum notice is not offered', () => {
    const staff = [
      stylist('ann', {
        can: ['cut'],
        busy: [span('09:00', '09:20')],
        working: [span('09:00', '10:00')],
      }),
    ];
    const found = slots({
      staff,
      online: { now: t('09:00'), minNoticeMinutes: 25, horizonDays: 1 },
    });
    expect(starts(found)).toEqual(['09:30']);
  });
});

describe('findSlots: multi-service chains', () => {
  const cutWithBuffer = service('cut', {
    durationMinutes: 30,
    bufferAfterMinutes: 10,
  });
  const dry = service('dry', { durationMinutes: 20 });
  const colour = service('colour', { durationMinutes: 60 });
  const services = [cutWithBuffer, dry, colour];
  const firstSlot = (input: Partial<FindSlotsInput>) => assignments(slots({ services, ...input }))[0];

  it.each<{
    name: string;
    staff: StaffCalendar[];
    selection: FindSlotsInput['selection'];
    expected: string | undefined;
  }>([
    {
      name: 'same stylist: the next service starts after the buffer',
      staff: [stylist('ann', { can: ['cut', 'dry'] })],
      selection: [{ serviceId: 'cut' }, { serviceId: 'dry' }],
      expected: '09:00-09:30 cut/ann, 09:40-10:00 dry/ann',
    },
    {
      name: 'different stylists: the next service starts when the client leaves the chair',
      staff: [stylist('ann', { can: ['cut'] }), stylist('bob', { can: ['dry'] })],
      selection: [
        { serviceId: 'cut', staffId: 'ann' },
        { serviceId: 'dry', staffId: 'bob' },
      ],
      expected: '09:00-09:30 cut/ann, 09:30-09:50 dry/bob',
    },
    {
      name: '"anyone" for both: the first qualified stylist in order does both',
      staff: [stylist('ann', { can: ['cut', 'dry'] }), stylist('bob', { can: ['cut', 'dry'] })],
      selection: [{ serviceId: 'cut' }, { serviceId: 'dry' }],
      expected: '09:00-09:30 cut/ann, 09:40-10:00 dry/ann',
    },
    {
      name: '"anyone" follows the given order, not ids',
      staff: [stylist('bob', { can: ['cut', 'dry'] }), stylist('ann', { can: ['cut', 'dry'] })],
      selection: [{ serviceId: 'cut' }, { serviceId: 'dry' }],
      expected: '09:00-09:30 cut/bob, 09:40-10:00 dry/bob',
    },
    {
      name: '"anyone" falls back to the next stylist when the first is busy later',
      staff: [stylist('ann', { can: ['cut', 'dry'], busy: [span('09:40', '10:00')] }), stylist('bob', { can: ['dry'] })],
      selection: [{ serviceId: 'cut' }, { serviceId: 'dry' }],
      expected: '09:00-09:30 cut/ann, 09:30-09:50 dry/bob',
    },
    {
      name: 'qualification: "anyone" only considers qualified staff',
      staff: [stylist('ann', { can: ['cut'] }), stylist('bob', { can: ['colour'] })],
      selection: [{ serviceId: 'colour' }],
      expected: '09:00-10:00 colour/bob',
    },
    {
      name: 'qualification: a fixed unqualified stylist gives nothing',
      staff: [stylist('ann', { can: ['cut'] }), stylist('bob', { can: ['colour'] })],
      selection: [{ serviceId: 'colour', staffId: 'ann' }],
      expected: undefined,
    },
    {
      name: 'unknown service gives nothing',
      staff: [stylist('ann', { can: ['cut'] })],
      selection: [{ serviceId: 'perm' }],
      expected: undefined,
    },
    {
      name: 'per-staff duration changes the end and the next start',
      staff: [stylist('ann', { can: { cut: { durationMinutes: 45 } } }), stylist('bob', { can: ['dry'] })],
      selection: [{ serviceId: 'cut' }, { serviceId: 'dry' }],
      expected: '09:00-09:45 cut/ann, 09:45-10:05 dry/bob',
    },
  ])('$name', ({ staff, selection, expected }) => {
    expect(firstSlot({ staff, selection })).toBe(expected);
  });

  it.each`
    basinUsage                  | expected                                         | why
    ${[]}                       | ${'09:00-09:30 cut/ann, 09:30-10:30 colour/bob'} | ${'ann (first in order) does the cut, bob follows at 09:30'}
    ${[span('09:15', '09:40')]} | ${'09:00-09:30 cut/bob, 09:40-10:40 colour/bob'} | ${'basin busy at 09:30: backtrack, bob cuts and colours after his buffer'}
  `('backtracking over "anyone": $why', ({ basinUsage, expected }) => {
    const found = slots({
      services: [cutWithBuffer, service('colour', { durationMinutes: 60, roomIds: ['basin'] })],
      staff: [stylist('ann', { can: ['cut'] }), stylist('bob', { can: ['cut', 'colour'] })],
      rooms: [resource('basin', 1, basinUsage)],
      selection: [{ serviceId: 'cut' }, { serviceId: 'colour', staffId: 'bob' }],
      window: span('09:00', '09:15'),
    });
    expect(assignments(found)).toEqual([expected]);
  });

  it('per-staff duration moves the last start of the day', () => {
    const last = (staff: StaffCalendar) => starts(slots({ services, staff: [staff] })).pop();
    expect(last(stylist('ann', { can: ['cut'] }))).toBe('16:15'); // 30 + 10 buffer -> 16:55
    expect(last(stylist('ann', { can: { cut: { durationMinutes: 45 } } }))).toBe('16:00'); // 45 + 10 -> 16:55
  });

  it('the chain must fit entirely: the last start leaves room for every service', () => {
    const found = slots({
      services,
      staff: [stylist('ann', { can: ['cut', 'dry'] })],
      selection: [{ serviceId: 'cut' }, { serviceId: 'dry' }],
    });
    expect(starts(found).pop()).toBe('16:00'); // 16:00 cut, 16:40-17:00 dry
  });

  it.each`
    middleMinutes | expected
    ${10}         | ${undefined}
    ${20}         | ${'09:00-09:30 cut/ann, 09:30-09:50 dry/bob, 09:50-09:55 tiny/ann'}
  `(
    "a chain's own stylist blocks cannot overlap (ann's buffer vs her next service), middle service $middleMinutes min",
    ({ middleMinutes, expected }) => {
      const tiny = service('tiny', { durationMinutes: 5 });
      const found = slots({
        services: [
          service('cut', { durationMinutes: 30, bufferAfterMinutes: 20 }),
          service('dry', { durationMinutes: middleMinutes }),
          tiny,
        ],
        staff: [stylist('ann', { can: ['cut', 'tiny'] }), stylist('bob', { can: ['dry'] })],
        selection: [
          { serviceId: 'cut', staffId: 'ann' },
          { serviceId: 'dry', staffId: 'bob' },
          { serviceId: 'tiny', staffId: 'ann' },
        ],
        window: span('09:00', '09:15'),
      });
      expect(assignments(found)[0]).toBe(expected);
    },
  );

  it("the client's existing appointments block the whole chain's chair time", () => {
    const client = { id: 'c1', appointments: [span('10:00', '11:00')] };
    const found = slots({
      services,
      staff: [stylist('ann', { can: ['cut'] }), stylist('bob', { can: ['dry'] })],
      selection: [{ serviceId: 'cut' }, { serviceId: 'dry' }],
      client,
      window: span('09:00', '11:30'),
    });
    // cut 30 + dry 20 back to back = 50 min of chair time
    expect(starts(found)).toEqual(['09:00', '11:00', '11:15']);
  });

  it('the search budget per start is respected (conservatively: no slot)', () => {
    const staff = [
      stylist('ann', { can: ['cut'], working: [] }),
      stylist('bob', { can: ['cut'], working: [] }),
      stylist('cat', { can: ['cut'] }),
    ];
    const window = span('09:00', '09:15');
    expect(starts(slots({ staff, window, maxSearchNodesPerStart: 2 }))).toEqual([]);
    expect(starts(slots({ staff, window, maxSearchNodesPerStart: 3 }))).toEqual(['09:00']);
  });

  it('an empty selection has no slots', () => {
    expect(slots({ selection: [] })).toEqual([]);
  });
});

describe('findSlots: rooms and machines', () => {
  const facial = service('facial', {
    durationMinutes: 30,
    bufferAfterMinutes: 15,
    roomIds: ['room-b', 'room-a'],
  });
  const laser = service('laser', {
    durationMinutes: 30,
    machineIds: ['laser-1'],
    roomIds: ['room-a'],
  });
  const staff = [stylist('ann', { can: ['facial', 'laser'] }), stylist('bob', { can: ['facial', 'laser'] })];
  const window = span('09:30', '11:00');
  const roomsAt = (found: readonly Slot[]) =>
    found.map((s) => `${hm(s.start)} ${s.schedules.map((x) => [x.staffId, x.roomId, x.machineId].filter(Boolean).join('/')).join(' ')}`);

  it.each`
    name                                                             | rooms                                                                                                 | expected
    ${'the first room by id when both are free'}                     | ${[resource('room-b', 1), resource('room-a', 1)]}                                                     | ${['09:30 ann/room-a', '09:45 ann/room-a', '10:00 ann/room-a', '10:15 ann/room-a', '10:30 ann/room-a', '10:45 ann/room-a']}
    ${'the other room when the first is used'}                       | ${[resource('room-a', 1, [span('10:15', '11:00')]), resource('room-b', 1)]}                           | ${['09:30 ann/room-a', '09:45 ann/room-b', '10:00 ann/room-b', '10:15 ann/room-b', '10:30 ann/room-b', '10:45 ann/room-b']}
    ${'capacity 1, both used: the buffer counts, adjacency is fine'} | ${[resource('room-a', 1, [span('10:15', '11:00')]), resource('room-b', 1, [span('10:15', '11:00')])]} | ${['09:30 ann/room-a']}
    ${'capacity 2 with one usage still has a unit'}                  | ${[resource('room-a', 2, [span('10:00', '11:00')])]}                                                  | ${['09:30 ann/room-a', '09:45 ann/room-a', '10:00 ann/room-a', '10:15 ann/room-a', '10:30 ann/room-a', '10:45 ann/room-a']}
    ${'capacity 2 with two overlapping usages is full'}              | ${[resource('room-a', 2, [span('10:00', '11:00'), span('10:30', '11:00')])]}                          | ${['09:30 ann/room-a', '09:45 ann/room-a']}
    ${'capacity 2 with two usages that never meet'}                  | ${[resource('room-a', 2, [span('09:00', '10:00'), span('10:00', '11:00'), span('10:00', '10:15')])]}  | ${['10:15 ann/room-a', '10:30 ann/room-a', '10:45 ann/room-a']}
    ${'a room missing from the list has no capacity'}                | ${[]}                                                                                                 | ${[]}
  `('$name', ({ rooms, expected }) => {
    expect(
      roomsAt(
        slots({
          services: [facial],
          staff,
          rooms,
          window,
          selection: [{ serviceId: 'facial' }],
        }),
      ),
    ).toEqual(expected);
  });

  it('room and machine are both required', () => {
    const input = {
      services: [laser],
      staff,
      window: span('09:30', '10:30'),
      selection: [{ serviceId: 'laser' }],
    };
    const rooms = [resource('room-a', 2)];
    expect(
      roomsAt(
        slots({
          ...input,
          rooms,
          machines: [resource('laser-1', 1, [span('09:45', '10:15')])],
        }),
      ),
    ).toEqual(['10:15 ann/room-a/laser-1']);
    expect(
      roomsAt(
        slots({
          ...input,
          rooms: [resource('room-a', 1, [span('09:00', '10:00')])],
          machines: [resource('laser-1', 1)],
        }),
      ),
    ).toEqual(['10:00 ann/room-a/laser-1', '10:15 ann/room-a/laser-1']);
  });

  it.each`
    capacity | expected
    ${1}     | ${[]}
    ${2}     | ${['09:30 ann/room-a bob/room-a']}
  `('a chain counts its own room usage: two back-to-back facials (buffer overlaps), capacity $capacity', ({ capacity, expected }) => {
    const found = slots({
      services: [facial],
      staff,
      rooms: [resource('room-a', capacity)],
      window: span('09:30', '09:45'),
      selection: [
        { serviceId: 'facial', staffId: 'ann' },
        { serviceId: 'facial', staffId: 'bob' },
      ],
    });
    expect(roomsAt(found)).toEqual(expected);
  });

  it('other staff do not help when the room is full', () => {
    const rooms = [resource('room-a', 1, [span('09:00', '11:00')]), resource('room-b', 1, [span('09:00', '11:00')])];
    expect(
      slots({
        services: [facial],
        staff,
        rooms,
        window,
        selection: [{ serviceId: 'facial' }],
      }),
    ).toEqual([]);
  });
});
