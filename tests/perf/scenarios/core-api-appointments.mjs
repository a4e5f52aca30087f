// Issue 4's scenarios against core-api: the appointment book's day view, availability for one
// service and one day ("anyone"), booking creation without conflicts, and bookings fought over.
// Reads have their raw baseline in baselines/raw-read-server.mjs (the same SQL through raw
// mysql2); bookings in baselines/raw-booking-server.mjs (the raw transaction: lock the staff
// row, check overlap, insert).
import { DateTime } from 'luxon';
import { fileURLToPath } from 'node:url';
import { addDays, isoWeekday, localToday } from '../seed/appointments.mjs';
import { rng } from '../seed/data.mjs';
import { laneSpec } from './booking-requests.mjs';

const API = '/third-party-api-server/api/business';
const LANE_MODULE = fileURLToPath(new URL('./booking-requests.mjs', import.meta.url));
const fail = (message) => message;

/** Local dates of the branch's diary with at least `min` live appointments, between two offsets from today. */
export function busyDates(branch, { fromDay, toDay, min = 1 }) {
  const today = localToday(branch.timeZone);
  const out = [];
  for (let d = fromDay; d <= toDay; d++) {
    const date = addDays(today, d);
    const live = branch.diary?.liveByDate.get(date) ?? 0;
    if (live >= min) out.push({ date, live });
  }
  return out;
}

/** GET …/appointment?from_date=D&to_date=D&size=100&page=p for busy days: every page of each day. */
export function dayViewRequests(business, branch, seed, { fromDay = -365, toDay = 14, count = 4_000 } = {}) {
  const r = rng(seed);
  const days = busyDates(branch, { fromDay, toDay, min: Math.max(1, Math.round(branch.activeStaff * 5)) });
  if (!days.length) throw new Error('day-view: the branch has no busy day (seed appointments: --history-days > 0)');
  const out = [];
  for (let i = 0; i < count; i++) {
    const { date, live } = r.pick(days);
    const pages = Math.max(1, Math.ceil(live / 100));
    const page = r.int(0, pages - 1);
    out.push({ path: `${API}/${business.id}/branch/${branch.id}/appointment?from_date=${date}&to_date=${date}&size=100&page=${page}`, expect: { date, live, page } });
  }
  return out;
}

export function checkDayView(body, expect) {
  const list = body?._embedded?.appointments;
  if (!Array.isArray(list)) return fail('no _embedded.appointments array');
  if (body.page?.totalElements !== expect.live) return fail(`totalElements ${body.page?.totalElements} != ${expect.live} live appointments seeded that day`);
  const onPage = Math.max(0, Math.min(100, expect.live - expect.page * 100));
  if (list.length !== onPage) return fail(`page ${expect.page} has ${list.length} appointments, expected ${onPage}`);
  if (!list.every((a) => a.appointmentDate === expect.date && a.activationState === 'ACTIVE' && typeof a.version === 'number' && a.staffName)) return fail('an appointment of another day, not ACTIVE, or without version/staff name');
  return null;
}

/** POST …/appointments/availability for one popular service, one local day, anyone. */
export function availabilityRequests(business, branch, seed, { fromDay = 8, toDay = 42, count = 2_000 } = {}) {
  const r = rng(seed);
  const days = busyDates(branch, { fromDay, toDay, min: 1 }).filter((d) => isoWeekday(d.date) <= 5);
  const usable = days.length ? days : Array.from({ length: toDay - fromDay + 1 }, (_, i) => ({ date: addDays(localToday(branch.timeZone), fromDay + i), live: 0 }));
  const popular = ['Ladies Cut & Blow Dry', 'Blow Dry', 'Gents Cut', 'Root Touch-Up', 'Full Head Colour', 'Brow Shape'];
  const services = branch.services.filter((s) => popular.includes(s.name) && branch.staff.filter((st) => st.serviceIds.includes(s.id)).length >= 2);
  if (!services.length) throw new Error('availability: no popular service with two qualified stylists');
  const out = [];
  for (let i = 0; i < count; i++) {
    const { date, live } = r.pick(usable);
    const service = r.pick(services);
    const start = DateTime.fromISO(date, { zone: branch.timeZone });
    const body = {
      startTime: start.toUTC().toISO({ suppressMilliseconds: true }),
      endTime: start.plus({ days: 1 }).toUTC().toISO({ suppressMilliseconds: true }),
      clientServiceSelections: [{ serviceId: service.id }],
    };
    out.push({ method: 'POST', path: `${API}/${business.id}/branch/${branch.id}/appointments/availability`, body, expect: { date, live, serviceId: service.id, start: start.toMillis(), end: start.plus({ days: 1 }).toMillis() } });
  }
  return out;
}

export function checkAvailability(body, expect) {
  if (!Array.isArray(body?.data) || !Array.isArray(body?.availableSlots)) return fail('no data/availableSlots arrays');
  if (body.timeZone !== 'Europe/Dublin') return fail(`timeZone ${body.timeZone}`);
  for (const slot of body.data) {
    const t = Date.parse(slot.startTime);
    if (!(t >= expect.start && t < expect.end)) return fail(`slot ${slot.startTime} outside the day`);
    const schedules = slot.clientSchedules?.[0]?.serviceSchedules ?? [];
    if (!schedules.length || !schedules.every((s) => s.serviceId === expect.serviceId && s.staffId)) return fail('a slot without a schedule of the service');
  }
  return null;
}

/** The raw baseline answers the rows of the same queries (it does not compute slots). */
export function checkAvailabilityRows(body) {
  const rows = body?.rows;
  if (!rows || !Array.isArray(rows.appointments) || !Array.isArray(rows.qualifiedStaff) || !Array.isArray(rows.weekly)) return fail('baseline: no rows');
  if (!rows.qualifiedStaff.length || !rows.weekly.length) return fail('baseline: no qualified staff or roster rows');
  return null;
}

// Each target books its own far-future dates: nothing seeded there, no two lanes share a slot.
// A target walks ~170 slots a day of the lane; the baseline of booking-create, the fastest, at
// ~3.5k/s over its warm-ups and 5 rounds books ~1,200 days of them: the next lane starts beyond.
const LANE_START_DAYS = { 'booking-create': { service: 400, baseline: 1_500 }, 'booking-contention': { service: 3_000, baseline: 3_300 } };
/** The raw loop's lane of round r (booking-create) starts at START + (r - 1) * PER_ROUND days: ~140-190 days a round at 3-4k tx/s. */
export const RAW_LOOP_LANE_DAYS = { start: 4_000, perRound: 300 };

// The booking path reaches its steady CPU per booking only after ~15 s of load (measured:
// 5 s of warm-up left round 1 at ~680 µs a booking against ~550 in rounds 2-5; 30 s, ~540 in
// round 1): both targets of the write scenarios get 20 s before their first round.
const WRITE_FIRST_WARMUP_S = 20;
export const CONTENTION_GROUP = 20;

function bookingLane(name, group) {
  return (fixture, target) => {
    const business = fixture.businesses[0];
    const branch = business.branches[0];
    const startDate = addDays(localToday(branch.timeZone), LANE_START_DAYS[name][target]);
    // Baseline and service book for different clients too, so neither waits on the other's rows.
    return { module: LANE_MODULE, spec: laneSpec({ business, branch, startDate, group, clientOffset: target === 'service' ? 0 : 20_000 }) };
  };
}

function checkBooking(body, _expect, status) {
  if (status !== 201) return fail(`status ${status}`);
  if (typeof body?.bookingId !== 'string') return fail('no bookingId');
  const schedules = body.clientAppointmentSchedules?.[0]?.serviceSchedules;
  if (schedules && !schedules.every((s) => typeof s.appointmentId === 'string')) return fail('no appointmentId');
  return null;
}

export const coreApiAppointmentScenarios = [
  {
    name: 'day-view',
    service: 'core-api',
    baseline: 'raw-read',
    target: 0.3,
    description:
      'GET …/branch/{br}/appointment?from_date=D&to_date=D&size=100&page=0|1 of a busy day (12 staff, ~180 live appointments, ~6% more cancelled): tenant check, branch, the page joined with service/staff/client/branch, count.',
    requests: (fixture, seed) => dayViewRequests(fixture.businesses[0], fixture.businesses[0].branches[0], seed + 10),
    check: checkDayView,
  },
  {
    name: 'availability',
    service: 'core-api',
    baseline: 'raw-read',
    target: 0.3,
    sameBody: false,
    description:
      'POST …/branch/{br}/appointments/availability, one popular service, one local day 8-42 days ahead, anyone: the service loads services, qualified staff, rota, ~3 days of appointments and computes every stylist’s slots; the raw baseline runs the same queries and returns their rows (no slot computation).',
    requests: (fixture, seed) => availabilityRequests(fixture.businesses[0], fixture.businesses[0].branches[0], seed + 11),
    check: checkAvailability,
    checkBaseline: checkAvailabilityRows,
  },
  {
    name: 'booking-create',
    service: 'core-api',
    baseline: 'raw-booking',
    target: 0.5,
    firstWarmup: WRITE_FIRST_WARMUP_S,
    sameBody: false,
    okStatuses: [201],
    description:
      'POST …/branch/{br}/booking, one short service, each request a different free slot, stylist and client (far-future dates, walked forward): the whole booking path (references, rota, row locks, rules, inserts, outbox events, relay to RabbitMQ) vs the raw transaction (lock the staff row, check overlap, insert).',
    lane: bookingLane('booking-create', 1),
    check: checkBooking,
    checkBaseline: checkBooking,
  },
  {
    name: 'booking-contention',
    service: 'core-api',
    baseline: 'raw-booking',
    target: null,
    firstWarmup: WRITE_FIRST_WARMUP_S,
    sameBody: false,
    okStatuses: [201, 409],
    contentionGroup: CONTENTION_GROUP,
    description: `POST …/booking, every slot asked for by ${CONTENTION_GROUP} different clients in a row (100 connections: ~5 slots fought over at any time): exactly one 201 per slot, the rest 409 STAFF_DOUBLE_BOOKED; a 409 is the right answer, not an error. Verified after the run: no slot holds two live appointments.`,
    lane: bookingLane('booking-contention', CONTENTION_GROUP),
    check: (body, expect, status) => (status === 201 ? checkBooking(body, expect, status) : status === 409 && body?.code === 'STAFF_DOUBLE_BOOKED' ? null : fail(`status ${status} ${body?.code ?? ''}`)),
    checkBaseline: (body, expect, status) => (status === 201 || (status === 409 && body?.code === 'STAFF_DOUBLE_BOOKED') ? null : fail(`status ${status}`)),
  },
];
