// A realistic appointment history for a seeded branch, written straight into core-api's own
// tables (apps/core-api/src/database/migrations/1764000300000-scheduling.ts): `booking` rows
// and their `appointment` rows, with the columns the services compute (start, end, busy end
// including the buffer after, the processing gap in which the stylist is free) exactly as
// CreateBookingUseCase writes them (effectiveTiming: a stylist's own duration, the service's gap
// only when it fits, the buffer after).
//
// Each stylist's working day (their weekly roster, in the branch's zone) is filled back to back
// with services they are qualified for, chosen by popularity, with short idle gaps, aiming at
// `perStaffDay` live appointments; a colour's processing gap takes a short service for another
// client about half the time (the gap-time rule). Past appointments are mostly COMPLETED (some
// NO_SHOW, a few never closed), future ones BOOKED (the next days mostly confirmed). About 6% of
// slots also hold a CANCELED appointment (the client cancelled and the slot was re-booked), and a
// fifth of bookings carry two services back to back for the same client. No overlaps among live
// appointments of one stylist (outside gaps), so the data passes the service's own rules.
import { DateTime } from 'luxon';

const MINUTE = 60_000;
const BATCH = 2_000;

/** Relative popularity of the catalogue's services (data.mjs SERVICE_CATALOGUE names). */
const POPULARITY = {
  'Ladies Cut & Blow Dry': 10, 'Gents Cut': 8, 'Blow Dry': 9, 'Kids Cut': 3, 'Upstyle': 1, 'Fringe Trim': 3,
  'Full Head Colour': 4, 'Root Touch-Up': 5, 'Balayage': 2, 'Half Head Foils': 3, 'Toner': 3, 'Colour Consultation': 1,
  'Bond Repair Treatment': 2, 'Scalp Treatment': 1, 'Keratin Smoothing': 0.5, 'Brow Shape': 4, 'Brow Tint': 3, 'Lash Lift': 2,
  'Gel Manicure': 3, 'Pedicure': 2,
};
const popularity = (name) => POPULARITY[name.replace(/ \(\d+\)$/, '')] ?? 1;

export const APPOINTMENT_COLUMNS = [
  'id', 'business_id', 'branch_id', 'booking_id', 'client_id', 'staff_id', 'service_id', 'room_id', 'machine_id', 'start_at', 'end_at',
  'busy_end_at', 'gap_start_at', 'gap_end_at', 'state', 'activation_state', 'hold_expires_at', 'confirmed', 'staff_request', 'price_minor',
  'source', 'notes', 'canceled_at', 'version', 'created_at', 'updated_at',
];
export const BOOKING_COLUMNS = ['id', 'business_id', 'branch_id', 'client_id', 'status', 'hold_expires_at', 'source', 'note', 'created_by', 'version', 'created_at', 'updated_at'];

const hmToMinutes = (hm) => {
  const [h, m] = hm.split(':').map(Number);
  return h * 60 + m;
};

/** Instant (ms) of local midnight, valid for every time after 03:00 (DST changes happen earlier). */
function localDayBase(timeZone, date) {
  const noon = DateTime.fromISO(`${date}T12:00:00`, { zone: timeZone });
  return noon.toMillis() - 12 * 3_600_000;
}

export function isoWeekday(date) {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday;
}

export function addDays(date, days) {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate();
}

/** Today's date in a zone. */
export function localToday(timeZone, now = Date.now()) {
  return DateTime.fromMillis(now, { zone: timeZone }).toISODate();
}

/** Writes rows of two tables in batches, a few INSERT … VALUES ? statements in flight. */
export class BulkWriter {
  constructor(pool, { parallel = 2 } = {}) {
    this.pool = pool;
    this.parallel = parallel;
    this.buffers = { booking: [], appointment: [] };
    this.inFlight = new Set();
    this.counts = { booking: 0, appointment: 0 };
  }

  async add(table, row) {
    const buffer = this.buffers[table];
    buffer.push(row);
    if (buffer.length >= BATCH) await this.flushTable(table);
  }

  async flushTable(table) {
    const rows = this.buffers[table];
    if (!rows.length) return;
    this.buffers[table] = [];
    const columns = table === 'booking' ? BOOKING_COLUMNS : APPOINTMENT_COLUMNS;
    const values = rows.map((row) => columns.map((c) => row[c] ?? null));
    while (this.inFlight.size >= this.parallel) await Promise.race(this.inFlight);
    // Two batches in flight can deadlock on a secondary index now and then: InnoDB rolls one
    // back whole, so it is simply sent again.
    const insert = async (attempt = 1) => {
      try {
        await this.pool.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [values]);
      } catch (err) {
        if (attempt >= 5 || !/ER_LOCK_DEADLOCK|ER_LOCK_WAIT_TIMEOUT/.test(err.code ?? '')) throw err;
        await new Promise((r) => setTimeout(r, 20 * attempt));
        return insert(attempt + 1);
      }
      this.counts[table] += rows.length;
    };
    const p = insert();
    const tracked = p.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    // Surface a failed insert at the next await instead of as an unhandled rejection.
    tracked.catch(() => undefined);
  }

  async flush() {
    await this.flushTable('booking');
    await this.flushTable('appointment');
    const pending = [...this.inFlight];
    await Promise.all(pending);
  }
}

/**
 * Generates the appointments of one branch for given local dates. `branch` is the fixture's
 * branch (services, staff with rosters and qualifications); `clientIds` the business's live
 * clients; `ownerUserId` is `created_by` of front-desk bookings.
 */
export class BranchDiary {
  constructor({ r, businessId, branch, clientIds, ownerUserId, perStaffDay = 15, now = Date.now() }) {
    Object.assign(this, { r, businessId, branch, clientIds, ownerUserId, perStaffDay, now });
    this.timeZone = branch.timeZone;
    this.today = localToday(this.timeZone, now);
    this.services = new Map(branch.services.map((s) => [s.id, s]));
    /** live appointments per local date (what the day view lists) */
    this.liveByDate = new Map();
    this.stats = { appointments: 0, bookings: 0, canceled: 0, nested: 0 };
  }

  /** Effective timing of a service for a stylist, as core-api's effectiveTiming does. */
  timing(staff, serviceId) {
    const service = this.services.get(serviceId);
    const duration = staff.quals.get(serviceId)?.duration ?? service.duration;
    const gap = service.gap && service.gap.start >= 0 && service.gap.length > 0 && service.gap.start + service.gap.length <= duration ? service.gap : null;
    return { duration, buffer: service.buffer, gap, price: staff.quals.get(serviceId)?.price ?? service.price };
  }

  pickService(staff, maxLength, preferShort) {
    const r = this.r;
    let candidates = staff.serviceIds.filter((id) => {
      const t = this.timing(staff, id);
      return t.duration + t.buffer <= maxLength;
    });
    if (!candidates.length) return null;
    if (preferShort) {
      const short = candidates.filter((id) => {
        const t = this.timing(staff, id);
        return t.duration + t.buffer <= preferShort;
      });
      if (short.length) candidates = short;
    }
    const weights = candidates.map((id) => popularity(this.services.get(id).name));
    let x = r.next() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < candidates.length; i++) {
      x -= weights[i];
      if (x <= 0) return candidates[i];
    }
    return candidates[candidates.length - 1];
  }

  /** Appends one day's bookings and appointments to `writer`. Returns the day's live count. */
  async day(date, writer) {
    const r = this.r;
    const weekday = isoWeekday(date);
    const base = localDayBase(this.timeZone, date);
    const past = date < this.today;
    const daysAhead = Math.round((DateTime.fromISO(date, { zone: 'UTC' }).toMillis() - DateTime.fromISO(this.today, { zone: 'UTC' }).toMillis()) / 86_400_000);
    // Future diaries fill up as the day approaches.
    const fill = daysAhead <= 7 ? 1 : daysAhead <= 21 ? 0.75 : daysAhead <= 42 ? 0.45 : 0.25;
    let live = 0;
    for (const staff of this.branch.staff) {
      const shift = staff.roster[weekday];
      if (!shift) continue;
      const [from, to] = shift;
      const target = Math.max(1, Math.round(this.perStaffDay * fill * (0.85 + r.next() * 0.3)));
      let cursor = from;
      let made = 0;
      let previous = null;
      while (cursor < to && made < target * 1.2) {
        const remaining = to - cursor;
        const mean = remaining / Math.max(1, target - made);
        // Ahead of plan: leave some air between clients (or the rest of the day, when done).
        if (made >= target) break;
        if (mean > 60 && r.chance(0.35)) {
          cursor += 15 * r.int(1, 3);
          continue;
        }
        const serviceId = this.pickService(staff, remaining, mean < 45 ? Math.max(20, Math.round(mean * 1.3)) : undefined);
        if (!serviceId) break;
        const t = this.timing(staff, serviceId);
        const start = base + cursor * MINUTE;
        // A fifth of bookings are two services back to back for one client.
        const sameBooking = previous && previous.busyEnd === start && r.chance(0.2);
        const booking = sameBooking ? previous.booking : this.newBooking(start, past);
        const appointment = await this.appointment(writer, { staff, serviceId, t, start, booking, clientId: booking.client_id, past, daysAhead });
        made++;
        live++;
        if (!sameBooking) await writer.add('booking', booking.row);
        // The processing gap of a colour takes a short service for someone else about half the time.
        if (t.gap && t.gap.length >= 15 && r.chance(0.5)) {
          const inner = this.pickService(staff, t.gap.length, t.gap.length);
          if (inner) {
            const ti = this.timing(staff, inner);
            if (ti.duration + ti.buffer <= t.gap.length && !ti.gap) {
              const innerBooking = this.newBooking(start + t.gap.start * MINUTE, past);
              await writer.add('booking', innerBooking.row);
              await this.appointment(writer, { staff, serviceId: inner, t: ti, start: start + t.gap.start * MINUTE, booking: innerBooking, clientId: innerBooking.client_id, past, daysAhead });
              this.stats.nested++;
              made++;
              live++;
            }
          }
        }
        previous = { busyEnd: appointment.busyEnd, booking };
        cursor += t.duration + t.buffer;
      }
    }
    this.liveByDate.set(date, (this.liveByDate.get(date) ?? 0) + live);
    return live;
  }

  newBooking(start, past) {
    const r = this.r;
    const online = r.chance(0.3);
    const leadDays = online ? r.int(0, 14) : r.int(0, 45);
    const created = new Date(Math.min(this.now - (past ? 0 : 0), start - leadDays * 86_400_000 - r.int(1, 600) * MINUTE));
    const row = {
      id: r.id(), business_id: this.businessId, branch_id: this.branch.id, client_id: r.pick(this.clientIds), status: 'ACTIVE', hold_expires_at: null,
      source: online ? 'ONLINE' : 'API', note: r.chance(0.03) ? 'Paid deposit' : null, created_by: online ? null : this.ownerUserId, version: 1,
      created_at: created, updated_at: created,
    };
    this.stats.bookings++;
    return { row, client_id: row.client_id, source: row.source, created };
  }

  async appointment(writer, { staff, serviceId, t, start, booking, clientId, past, daysAhead }) {
    const r = this.r;
    const end = start + t.duration * MINUTE;
    const busyEnd = end + t.buffer * MINUTE;
    const gapStart = t.gap ? start + t.gap.start * MINUTE : null;
    const gapEnd = t.gap ? gapStart + t.gap.length * MINUTE : null;
    let state = 'BOOKED';
    let version = 1;
    let confirmed = 0;
    let updated = booking.created;
    if (past) {
      const x = r.next();
      state = x < 0.92 ? 'COMPLETED' : x < 0.95 ? 'NO_SHOW' : 'BOOKED';
      confirmed = r.chance(0.8) ? 1 : 0;
      version = 1 + confirmed + (state === 'COMPLETED' ? 3 : state === 'NO_SHOW' ? 1 : 0);
      updated = new Date(state === 'BOOKED' ? booking.created.getTime() : end + r.int(0, 20) * MINUTE);
    } else if (r.chance(daysAhead <= 2 ? 0.7 : 0.2)) {
      confirmed = 1;
      version = 2;
      updated = new Date(Math.min(this.now, start - r.int(1, 48) * 3_600_000));
      if (updated < booking.created) updated = booking.created;
    }
    const row = {
      id: r.id(), business_id: this.businessId, branch_id: this.branch.id, booking_id: booking.row.id, client_id: clientId, staff_id: staff.id,
      service_id: serviceId, room_id: null, machine_id: null, start_at: new Date(start), end_at: new Date(end), busy_end_at: new Date(busyEnd),
      gap_start_at: gapStart ? new Date(gapStart) : null, gap_end_at: gapEnd ? new Date(gapEnd) : null, state, activation_state: 'ACTIVE',
      hold_expires_at: null, confirmed, staff_request: r.chance(0.4) ? 1 : 0, price_minor: t.price, source: booking.source,
      notes: r.chance(0.05) ? r.pick(['Patch test done', 'Running 10 min late', 'Wants a trim only', 'Bring colour card']) : null,
      canceled_at: null, version, created_at: booking.created, updated_at: updated,
    };
    await writer.add('appointment', row);
    this.stats.appointments++;
    // About 6% of slots were booked by someone who then cancelled: a CANCELED appointment (and
    // booking) at the same time, which the day view must skip.
    if (r.chance(0.06)) {
      const cancelled = this.newBooking(start, past);
      const canceledAt = new Date(Math.min(start - MINUTE, cancelled.created.getTime() + r.int(1, 72) * 3_600_000));
      cancelled.row.status = 'CANCELED';
      cancelled.row.version = 2;
      cancelled.row.updated_at = canceledAt;
      await writer.add('booking', cancelled.row);
      await writer.add('appointment', {
        ...row, id: r.id(), booking_id: cancelled.row.id, client_id: cancelled.client_id, source: cancelled.source, state: 'BOOKED', activation_state: 'CANCELED',
        confirmed: 0, notes: null, canceled_at: canceledAt, version: 2, created_at: cancelled.created, updated_at: canceledAt,
      });
      this.stats.appointments++;
      this.stats.canceled++;
    }
    return { busyEnd };
  }
}

/** Roster intervals of a fixture staff member as { isoWeekday: [fromMinute, toMinute] }. */
export function rosterMinutes(rows) {
  const out = {};
  for (const row of rows) out[row.day_of_week] = [hmToMinutes(row.start_time), hmToMinutes(row.end_time)];
  return out;
}
