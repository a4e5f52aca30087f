// Booking requests for the write scenarios, generated on demand (in the load worker, see
// lib/load-worker.mjs) so that no slot is ever asked for twice across warm-ups and rounds.
//
// A lane walks local dates forward from `startDate` (far beyond the seeded diary, so nothing
// else is booked there); on each date, the 30-minute slots of every stylist's roster shift for
// that weekday, stylist after stylist within a slot, so consecutive requests lock different
// staff rows. Each request books a short service the stylist does (duration + buffer <= 30
// minutes) for the next client of the list. With `group` > 1 (contention) each slot is asked
// for `group` times in a row by different clients: exactly one may win, the rest must get 409.
import { DateTime } from 'luxon';

const API = '/third-party-api-server/api/business';
export const SLOT_MINUTES = 30;

function* slots(spec) {
  for (let day = 0; ; day++) {
    const local = DateTime.fromISO(spec.startDate, { zone: spec.timeZone }).plus({ days: day });
    const date = local.toISODate();
    const weekday = local.weekday;
    const base = DateTime.fromISO(`${date}T12:00:00`, { zone: spec.timeZone }).toMillis() - 12 * 3_600_000;
    const working = spec.staff.filter((s) => s.shifts[weekday]);
    if (!working.length) continue;
    const first = Math.min(...working.map((s) => s.shifts[weekday][0]));
    const last = Math.max(...working.map((s) => s.shifts[weekday][1]));
    for (let minute = first; minute + SLOT_MINUTES <= last; minute += SLOT_MINUTES) {
      for (const staff of working) {
        const [from, to] = staff.shifts[weekday];
        if (minute < from || minute + SLOT_MINUTES > to) continue;
        yield { date, staffId: staff.id, serviceId: staff.serviceId, start: base + minute * 60_000 };
      }
    }
  }
}

/** The lane: `next()` -> { method, path, body, slot }; `cursor` counts requests handed out. */
export function makeLane(spec) {
  const group = spec.group ?? 1;
  const it = slots(spec);
  let slot;
  let inGroup = group;
  let client = spec.clientOffset ?? 0;
  const lane = {
    cursor: 0,
    slots: 0,
    lastDate: undefined,
    next() {
      if (inGroup >= group) {
        slot = it.next().value;
        inGroup = 0;
        lane.slots++;
        lane.lastDate = slot.date;
      }
      inGroup++;
      lane.cursor++;
      const clientId = spec.clientIds[client++ % spec.clientIds.length];
      return {
        method: 'POST',
        path: `${API}/${spec.businessId}/branch/${spec.branchId}/booking`,
        body: {
          clientAppointmentSchedules: [{ clientId, serviceSchedules: [{ serviceId: slot.serviceId, staffId: slot.staffId, startTime: new Date(slot.start).toISOString() }] }],
          bookingStatus: 'ACTIVE',
        },
        slot,
      };
    },
  };
  return lane;
}

/**
 * The lane spec for a branch of the fixture: each stylist's weekly shifts and one short service
 * they are qualified for (their own duration counts).
 */
export function laneSpec({ business, branch, startDate, group = 1, clientOffset = 0 }) {
  const staff = [];
  for (const s of branch.staff) {
    const serviceId = s.serviceIds.find((id) => {
      const service = branch.services.find((x) => x.id === id);
      const duration = s.quals.get(id)?.duration ?? service.duration;
      return duration + service.buffer <= SLOT_MINUTES && !service.gap;
    });
    if (serviceId) staff.push({ id: s.id, serviceId, shifts: s.roster });
  }
  if (!staff.length) throw new Error('no stylist of the branch does a service of 30 minutes or less');
  return { businessId: business.id, branchId: branch.id, timeZone: branch.timeZone, startDate, staff, clientIds: business.liveClientIds.slice(0, 40_000), group, clientOffset };
}
