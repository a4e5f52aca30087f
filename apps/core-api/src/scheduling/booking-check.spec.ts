import { checkBooking } from './booking-check';
import { effectiveTiming, stylistBlocks } from './placement';
import { DUBLIN, hm, resource, service, span, stylist, t } from './test-fixtures';
import type { BookingCheckResult, CheckBookingInput, OnlineOptions, ScheduleRequest } from './types';

/**
 * A small salon on DAY (Dublin): ann (cut, colour, facial) and bob (cut) work
 * 09:00-17:00, cat (cut) is not online bookable; ann has a lunch break
 * 12:00-12:30 and an appointment with its buffer 14:00-14:40.
 */
const cut = service('cut', { durationMinutes: 30, bufferAfterMinutes: 10 });
const colour = service('colour', {
  durationMinutes: 90,
  gap: { startAfterMinutes: 30, durationMinutes: 45 },
  bufferAfterMinutes: 15,
});
const facial = service('facial', { durationMinutes: 30, roomIds: ['room-a'] });
const laser = service('laser', {
  durationMinutes: 30,
  machineIds: ['laser-1', 'laser-2'],
});
const phoneOnly = service('phone-only', {
  durationMinutes: 30,
  onlineBookable: false,
});

const base: Omit<CheckBookingInput, 'schedules'> = {
  branch: { timeZone: DUBLIN },
  services: [cut, colour, facial, laser, phoneOnly],
  staff: [
    stylist('ann', {
      can: ['cut', 'colour', 'facial', 'laser', 'phone-only'],
      blocked: [span('12:00', '12:30')],
      busy: [span('14:00', '14:40')],
    }),
    stylist('bob', { can: ['cut', 'facial'] }),
    stylist('cat', { can: ['cut'], onlineBookable: false }),
  ],
  rooms: [resource('room-a', 1, [span('16:00', '17:00')])],
  machines: [resource('laser-1', 1, [span('10:00', '11:00')]), resource('laser-2', 1, [span('10:30', '11:00')])],
  clients: [{ id: 'zoe', appointments: [span('15:00', '16:00')] }],
};

const onlineAt = (now: string, minNoticeMinutes = 60, horizonDays = 14): OnlineOptions => ({
  now: t(now),
  minNoticeMinutes,
  horizonDays,
});

function check(schedules: ScheduleRequest[], extra: Partial<CheckBookingInput> = {}): BookingCheckResult {
  return checkBooking({ ...base, ...extra, schedules });
}

/** "ok" or "CODE@index". */
const verdict = (result: BookingCheckResult) => (result.ok ? 'ok' : `${result.code}@${result.scheduleIndex}`);

const at = (time: string, staffId: string, serviceId: string, more: Partial<ScheduleRequest> = {}): ScheduleRequest => ({
  serviceId,
  staffId,
  start: t(time),
  ...more,
});

describe('checkBooking: one refusal per rule', () => {
  it.each<{
    name: string;
    schedules: ScheduleRequest[];
    extra?: Partial<CheckBookingInput>;
    expected: string;
  }>([
    {
      name: 'a free slot',
      schedules: [at('10:00', 'ann', 'cut')],
      expected: 'ok',
    },
    // eligibility
    {
      name: 'unknown service',
      schedules: [at('10:00', 'ann', 'perm')],
      expected: 'STAFF_UNQUALIFIED@0',
    },
    {
      name: 'unknown staff',
      schedules: [at('10:00', 'dan', 'cut')],
      expected: 'STAFF_UNQUALIFIED@0',
    },
    {
      name: 'staff not qualified',
      schedules: [at('10:00', 'bob', 'colour')],
      expected: 'STAFF_UNQUALIFIED@0',
    },
    {
      name: 'online: service not online bookable',
      schedules: [at('10:00', 'ann', 'phone-only')],
      extra: { online: onlineAt('08:00') },
      expected: 'SERVICE_NOT_ONLINE_BOOKABLE@0',
    },
    {
      name: 'offline: the same service is fine',
      schedules: [at('10:00', 'ann', 'phone-only')],
      expected: 'ok',
    },
    {
      name: 'online: staff not online bookable',
      schedules: [at('10:00', 'cat', 'cut')],
      extra: { online: onlineAt('08:00') },
      expected: 'STAFF_NOT_ONLINE_BOOKABLE@0',
    },
    {
      name: 'offline: the same staff is fine',
      schedules: [at('10:00', 'cat', 'cut')],
      expected: 'ok',
    },
    {
      name: 'requested room is not one of the service rooms',
      schedules: [at('10:00', 'ann', 'facial', { roomId: 'room-b' })],
      expected: 'RESOURCE_NOT_SUITABLE@0',
    },
    {
      name: 'requested room for a service that needs none',
      schedules: [at('10:00', 'ann', 'cut', { roomId: 'room-a' })],
      expected: 'RESOURCE_NOT_SUITABLE@0',
    },
    {
      name: 'requested machine is not one of the service machines',
      schedules: [at('10:00', 'ann', 'laser', { machineId: 'laser-9' })],
      expected: 'RESOURCE_NOT_SUITABLE@0',
    },
    // online window
    {
      name: 'online: earlier than the minimum notice',
      schedules: [at('10:45', 'ann', 'cut')],
      extra: { online: onlineAt('10:00', 60) },
      expected: 'OUTSIDE_BOOKING_WINDOW@0',
    },
    {
      name: 'online: exactly at the minimum notice',
      schedules: [at('11:00', 'ann', 'cut')],
      extra: { online: onlineAt('10:00', 60) },
      expected: 'ok',
    },
    {
      name: 'online: local date beyond the horizon',
      schedules: [{ serviceId: 'cut', staffId: 'ann', start: t('+1 10:00') }],
      extra: {
        online: onlineAt('08:00', 0, 0),
        staff: [
          stylist('ann', {
            can: ['cut'],
            working: [span('+1 09:00', '+1 17:00')],
          }),
        ],
      },
      expected: 'OUTSIDE_BOOKING_WINDOW@0',
    },
    {
      name: 'online: the last day of the horizon',
      schedules: [{ serviceId: 'cut', staffId: 'ann', start: t('+1 10:00') }],
      extra: {
        online: onlineAt('08:00', 0, 1),
        staff: [
          stylist('ann', {
            can: ['cut'],
            working: [span('+1 09:00', '+1 17:00')],
          }),
        ],
      },
      expected: 'ok',
    },
    {
      name: 'online: off the grid',
      schedules: [at('10:05', 'ann', 'cut')],
      extra: { online: onlineAt('08:00') },
      expected: 'OUTSIDE_BOOKING_WINDOW@0',
    },
    {
      name: 'online: off the grid but the moment the stylist becomes free (14:40)',
      schedules: [at('14:40', 'ann', 'cut')],
      extra: { online: onlineAt('08:00') },
      expected: 'ok',
    },
    {
      name: "online: off the grid at someone else's free moment",
      schedules: [at('14:40', 'bob', 'cut')],
      extra: { online: onlineAt('08:00') },
      expected: 'OUTSIDE_BOOKING_WINDOW@0',
    },
    {
      name: 'offline: any start is fine',
      schedules: [at('10:05', 'ann', 'cut')],
      expected: 'ok',
    },
    // working time
    {
      name: 'before working time',
      schedules: [at('08:45', 'ann', 'cut')],
      expected: 'STAFF_NOT_WORKING@0',
    },
    {
      name: 'the buffer runs past the end of the day',
      schedules: [at('16:30', 'ann', 'cut')],
      expected: 'STAFF_NOT_WORKING@0',
    },
    {
      name: 'ending with the day, buffer included',
      schedules: [at('16:20', 'ann', 'cut')],
      expected: 'ok',
    },
    {
      name: 'overlapping a break',
      schedules: [at('11:30', 'ann', 'cut')],
      expected: 'STAFF_NOT_WORKING@0',
    },
    {
      name: 'right after a break',
      schedules: [at('12:30', 'ann', 'cut')],
      expected: 'ok',
    },
    // stylist busy
    {
      name: 'overlapping an appointment',
      schedules: [at('14:30', 'ann', 'cut')],
      expected: 'STAFF_DOUBLE_BOOKED@0',
    },
    {
      name: 'the new buffer runs into an appointment',
      schedules: [at('13:30', 'ann', 'cut')],
      expected: 'STAFF_DOUBLE_BOOKED@0',
    },
    {
      name: 'ending (buffer included) as the appointment starts',
      schedules: [at('13:20', 'ann', 'cut')],
      expected: 'ok',
    },
    {
      name: "starting as the appointment's buffer ends",
      schedules: [at('14:40', 'ann', 'cut')],
      expected: 'ok',
    },
    // client
    {
      name: 'the client already has an appointment',
      schedules: [at('15:30', 'bob', 'cut', { clientId: 'zoe' })],
      expected: 'CLIENT_ALREADY_BOOKED_THIS_TIME@0',
    },
    {
      name: 'a different client at the same time',
      schedules: [at('15:30', 'bob', 'cut', { clientId: 'yan' })],
      expected: 'ok',
    },
    {
      name: "the client's chair time ends as her appointment starts (buffer is the stylist's)",
      schedules: [at('14:30', 'bob', 'cut', { clientId: 'zoe' })],
      expected: 'ok',
    },
    // resources
    {
      name: 'the only room is in use',
      schedules: [at('15:45', 'bob', 'facial')],
      expected: 'EXCEEDED_ROOM_CAPACITY@0',
    },
    {
      name: 'the room is free',
      schedules: [at('15:30', 'bob', 'facial')],
      expected: 'ok',
    },
    {
      name: 'both machines in use',
      schedules: [at('10:30', 'ann', 'laser')],
      expected: 'EXCEEDED_ROOM_CAPACITY@0',
    },
    {
      name: 'the requested machine is in use',
      schedules: [at('10:00', 'ann', 'laser', { machineId: 'laser-1' })],
      expected: 'EXCEEDED_ROOM_CAPACITY@0',
    },
    {
      name: 'the other machine is free',
      schedules: [at('10:00', 'ann', 'laser')],
      expected: 'ok',
    },
  ])('$name -> $expected', ({ schedules, extra, expected }) => {
    expect(verdict(check(schedules, extra))).toBe(expected);
  });
});

describe('checkBooking: schedules of the same request are checked against each other', () => {
  it.each<{
    name: string;
    schedules: ScheduleRequest[];
    extra?: Partial<CheckBookingInput>;
    expected: string;
  }>([
    {
      name: 'same stylist, overlapping',
      schedules: [at('10:00', 'ann', 'cut', { clientId: 'a' }), at('10:15', 'ann', 'cut', { clientId: 'b' })],
      expected: 'STAFF_DOUBLE_BOOKED@1',
    },
    {
      name: "same stylist, inside the first one's buffer",
      schedules: [at('10:00', 'ann', 'cut', { clientId: 'a' }), at('10:30', 'ann', 'cut', { clientId: 'b' })],
      expected: 'STAFF_DOUBLE_BOOKED@1',
    },
    {
      name: 'same stylist, after the buffer',
      schedules: [at('10:00', 'ann', 'cut', { clientId: 'a' }), at('10:40', 'ann', 'cut', { clientId: 'b' })],
      expected: 'ok',
    },
    {
      name: "another client's cut inside the colour's processing gap",
      schedules: [at('10:00', 'ann', 'colour', { clientId: 'a' }), at('10:30', 'ann', 'cut', { clientId: 'b' })],
      expected: 'ok',
    },
    {
      name: 'the same client cannot use her own processing gap for another service',
      schedules: [at('10:00', 'ann', 'colour', { clientId: 'a' }), at('10:30', 'bob', 'cut', { clientId: 'a' })],
      expected: 'CLIENT_ALREADY_BOOKED_THIS_TIME@1',
    },
    {
      name: 'schedules without clientId are one (anonymous) client',
      schedules: [at('10:00', 'ann', 'cut'), at('10:15', 'bob', 'cut')],
      expected: 'CLIENT_ALREADY_BOOKED_THIS_TIME@1',
    },
    {
      name: 'a back-to-back chain for one client with two stylists',
      schedules: [at('10:00', 'ann', 'cut', { clientId: 'a' }), at('10:30', 'bob', 'cut', { clientId: 'a' })],
      expected: 'ok',
    },
    {
      name: 'two clients at once with two stylists',
      schedules: [at('10:00', 'ann', 'cut', { clientId: 'a' }), at('10:00', 'bob', 'cut', { clientId: 'b' })],
      expected: 'ok',
    },
    {
      name: 'two facials at once in a room of capacity 1',
      schedules: [at('10:00', 'ann', 'facial', { clientId: 'a' }), at('10:00', 'bob', 'facial', { clientId: 'b' })],
      expected: 'EXCEEDED_ROOM_CAPACITY@1',
    },
    {
      name: 'two facials at once in a room of capacity 2',
      schedules: [at('10:00', 'ann', 'facial', { clientId: 'a' }), at('10:00', 'bob', 'facial', { clientId: 'b' })],
      extra: { rooms: [resource('room-a', 2)] },
      expected: 'ok',
    },
    {
      name: 'a conflict is reported on the later schedule, whatever the times',
      schedules: [at('10:15', 'ann', 'cut', { clientId: 'a' }), at('10:00', 'ann', 'cut', { clientId: 'b' })],
      expected: 'STAFF_DOUBLE_BOOKED@1',
    },
  ])('$name -> $expected', ({ schedules, extra, expected }) => {
    expect(verdict(check(schedules, extra))).toBe(expected);
  });
});

describe('checkBooking: order of checks (the first refusal wins)', () => {
  const online = { online: onlineAt('10:00', 60) };
  it.each<{
    name: string;
    schedules: ScheduleRequest[];
    extra?: Partial<CheckBookingInput>;
    expected: string;
  }>([
    {
      name: 'unqualified beats everything else on the same schedule',
      schedules: [at('10:05', 'bob', 'colour')],
      extra: online,
      expected: 'STAFF_UNQUALIFIED@0',
    },
    {
      name: 'eligibility of a later schedule beats a time conflict of an earlier one',
      schedules: [at('14:00', 'ann', 'cut'), at('16:00', 'bob', 'colour')],
      expected: 'STAFF_UNQUALIFIED@1',
    },
    {
      name: 'service online flag before staff online flag',
      schedules: [at('12:00', 'cat', 'phone-only')],
      extra: {
        ...online,
        staff: [stylist('cat', { can: ['phone-only'], onlineBookable: false })],
      },
      expected: 'SERVICE_NOT_ONLINE_BOOKABLE@0',
    },
    {
      name: 'the booking window before time conflicts',
      schedules: [at('10:30', 'ann', 'cut'), at('14:00', 'ann', 'cut')],
      extra: online,
      expected: 'OUTSIDE_BOOKING_WINDOW@0',
    },
    {
      name: 'the window is judged on the earliest start, whatever its index',
      schedules: [at('13:00', 'ann', 'cut'), at('10:30', 'bob', 'cut')],
      extra: online,
      expected: 'OUTSIDE_BOOKING_WINDOW@1',
    },
    {
      name: 'later services of a booking need not be on the grid',
      schedules: [at('13:00', 'ann', 'cut'), at('13:40', 'bob', 'cut')],
      extra: online,
      expected: 'ok',
    },
    {
      name: 'not working before double booked (break + appointment)',
      schedules: [at('11:50', 'ann', 'cut')],
      extra: {
        staff: [
          stylist('ann', {
            can: ['cut'],
            blocked: [span('12:00', '12:30')],
            busy: [span('11:30', '12:00')],
          }),
        ],
      },
      expected: 'STAFF_NOT_WORKING@0',
    },
    {
      name: 'double booked before client conflict',
      schedules: [at('14:00', 'ann', 'cut', { clientId: 'zoe' })],
      extra: {
        clients: [{ id: 'zoe', appointments: [span('14:00', '14:30')] }],
      },
      expected: 'STAFF_DOUBLE_BOOKED@0',
    },
    {
      name: 'client conflict before room capacity',
      schedules: [at('16:00', 'bob', 'facial', { clientId: 'zoe' })],
      extra: {
        clients: [{ id: 'zoe', appointments: [span('16:00', '16:30')] }],
      },
      expected: 'CLIENT_ALREADY_BOOKED_THIS_TIME@0',
    },
    {
      name: 'per schedule: an earlier schedule fails first',
      schedules: [at('14:00', 'ann', 'cut', { clientId: 'a' }), at('08:00', 'bob', 'cut', { clientId: 'b' })],
      expected: 'STAFF_DOUBLE_BOOKED@0',
    },
  ])('$name -> $expected', ({ schedules, extra, expected }) => {
    expect(verdict(check(schedules, extra))).toBe(expected);
  });

  it('needs at least one schedule', () => {
    expect(() => check([])).toThrow();
  });
});

describe('checkBooking: what it resolves for persisting', () => {
  it('a colour with gap and buffer, in a room, for a client', () => {
    const result = check([at('10:00', 'ann', 'colour', { clientId: 'zoe' }), at('11:30', 'bob', 'facial', { clientId: 'zoe' })]);
    if (!result.ok) throw new Error(result.reason);
    const shown = result.schedules.map((s) => ({
      who: `${s.serviceId}/${s.staffId}/${s.clientId}`,
      chair: `${hm(s.start)}-${hm(s.end)}`,
      clientSpan: `${hm(s.clientSpan.start)}-${hm(s.clientSpan.end)}`,
      stylist: s.stylistBlocks.map((b) => `${hm(b.start)}-${hm(b.end)}`),
      resources: s.resourceUsages.map((u) => `${u.kind}:${u.resourceId} ${hm(u.start)}-${hm(u.end)}`),
      roomId: s.roomId,
    }));
    expect(shown).toEqual([
      {
        who: 'colour/ann/zoe',
        chair: '10:00-11:30',
        clientSpan: '10:00-11:30',
        stylist: ['10:00-10:30', '11:15-11:45'],
        resources: [],
        roomId: undefined,
      },
      {
        who: 'facial/bob/zoe',
        chair: '11:30-12:00',
        clientSpan: '11:30-12:00',
        stylist: ['11:30-12:00'],
        resources: ['room:room-a 11:30-12:00'],
        roomId: 'room-a',
      },
    ]);
  });

  it('stylist blocks match stylistBlocks() for the staff timing, so stored appointments round-trip', () => {
    const staff = [stylist('ann', { can: { colour: { durationMinutes: 120 } } })];
    const result = check([at('09:00', 'ann', 'colour')], { staff });
    if (!result.ok) throw new Error(result.reason);
    const expected = stylistBlocks(effectiveTiming(colour, { durationMinutes: 120 }), t('09:00'));
    expect(result.schedules[0].stylistBlocks).toEqual(expected);
    expect(hm(result.schedules[0].end)).toBe('11:00');
    // Stored as busy, the same booking is now refused...
    const again = check([at('09:00', 'ann', 'colour')], {
      staff: [{ ...staff[0], busy: expected }],
    });
    expect(verdict(again)).toBe('STAFF_DOUBLE_BOOKED@0');
    // ...but the processing gap (09:30-10:15) is still bookable.
    const inGap = check([at('09:30', 'ann', 'cut')], {
      staff: [stylist('ann', { can: ['cut'], busy: expected })],
    });
    expect(verdict(inGap)).toBe('ok');
  });
});
