import { ApiError, type Statement } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ClientCalendar, Interval, OnlineOptions, ResourceCalendar, ServiceRule, StaffCalendar, StaffQualification } from '../../../scheduling';
import { BranchRow } from '../../branches/branch.view';
import { RostersService } from '../../rosters/rosters.service';
import { CalendarBaseCache } from './calendar-base.cache';

/** The longest an appointment can occupy anyone (12 h service + 4 h buffer): bounds range scans. */
export const MAX_APPOINTMENT_MS = 16 * 3_600_000;

export interface ServiceRow {
  id: string;
  name: string;
  duration_minutes: number;
  gap_start_minutes: number | null;
  gap_duration_minutes: number;
  buffer_after_minutes: number;
  price_minor: number;
  online_bookable: number;
}

export interface StaffInfo {
  id: string;
  name: string;
  firstName: string;
  lastName: string;
  onlineBookable: boolean;
  prices: Record<string, number | null>;
}

/** The static part of a branch's calendar: services, who may do them, and when they work. */
export interface CalendarBase {
  branch: BranchRow;
  services: ServiceRule[];
  serviceRows: Map<string, ServiceRow>;
  staff: StaffInfo[];
  qualifications: Map<string, Record<string, StaffQualification>>;
  working: Map<string, Interval[]>;
  blocked: Map<string, Interval[]>;
  roomIds: string[];
  machineIds: string[];
  /** Every bookable id of the branch (staff not archived, rooms, machines): a booking's references are checked against these. */
  branchStaffIds: ReadonlySet<string>;
  branchRoomIds: ReadonlySet<string>;
  branchMachineIds: ReadonlySet<string>;
  /** The span that busy time is loaded for. */
  span: Interval;
}

/** The statements that read a calendar load, and how to read their results. */
export interface CalendarLoadQuery {
  statements: Statement[];
  parse(results: unknown[]): CalendarLoad;
}

const DAY_MS = 86_400_000;

/** What moves with every booking: existing appointments, holds, room use, the client's own time. */
export interface CalendarLoad {
  busy: Map<string, Interval[]>;
  rooms: ResourceCalendar[];
  machines: ResourceCalendar[];
  client?: ClientCalendar;
}

interface AppointmentBlocks {
  staff_id: string;
  client_id: string;
  room_id: string | null;
  machine_id: string | null;
  start_at: Date;
  end_at: Date;
  busy_end_at: Date;
  gap_start_at: Date | null;
  gap_end_at: Date | null;
}

/** Live appointments: active ones, and holds that have not expired. */
const LIVE = "(a.activation_state = 'ACTIVE' OR (a.activation_state = 'RESERVED' AND a.hold_expires_at > ?))";

/**
 * Loads what the scheduling engine needs for a branch and a window, in two parts: the base
 * (services, qualifications, rota) read before any lock, and the load (appointments, holds,
 * room use, the client's appointments) read after the rows are locked, so the check sees
 * every booking committed before it.
 */
@Injectable()
export class BranchCalendarLoader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rosters: RostersService,
  ) {}

  private readonly cache = new CalendarBaseCache<CalendarBase>();

  /**
   * The base for `window`, widened to whole UTC days so that requests for one day share it, or
   * with `block: 'week'` to whole 7-day blocks: for a caller whose load reads only around its own
   * start times (`loadQuery` with `starts`, the booking path), where a wider base costs nothing
   * later, so a stylist's bookings across a week share one base read (seven queries) instead of
   * one a day. Callers that load the base's whole span (availability, moves) keep days. When the
   * branch row carries its business's calendar version (TenancyGuard and BranchesService.require
   * read it), the base comes from the cache.
   */
  async base(branch: BranchRow, serviceIds: string[], window: Interval, onlyStaffIds?: string[], block: 'day' | 'week' = 'day'): Promise<CalendarBase> {
    const unit = block === 'week' ? 7 * DAY_MS : DAY_MS;
    const blocks = { start: Math.floor(window.start / unit) * unit, end: Math.ceil(window.end / unit) * unit };
    const read = () => this.readBase(branch, serviceIds, blocks, onlyStaffIds);
    if (branch.calendar_version === undefined) return read();
    const ids = (list: string[]) => [...new Set(list)].sort().join(',');
    const key = [branch.id, branch.calendar_version ?? 0, ids(serviceIds), onlyStaffIds ? ids(onlyStaffIds) : '*', blocks.start, blocks.end].join('|');
    const base = await this.cache.get(key, read);
    // Everything but the branch's own row (read fresh on each request) comes from the cache.
    return base.branch === branch ? base : { ...base, branch };
  }

  private async readBase(branch: BranchRow, serviceIds: string[], window: Interval, onlyStaffIds?: string[]): Promise<CalendarBase> {
    const uniqueServices = [...new Set(serviceIds)];
    const [serviceRows, resources, staffRows, bookable] = await Promise.all([
      this.dataSource.query('SELECT * FROM service WHERE business_id = ? AND branch_id = ? AND archived = 0 AND id IN (?)', [
        branch.business_id,
        branch.id,
        uniqueServices,
      ]) as Promise<ServiceRow[]>,
      this.dataSource.query(
        `SELECT sr.service_id, sr.resource_type, sr.resource_id FROM service_resource sr
           LEFT JOIN room r ON sr.resource_type = 'ROOM' AND r.id = sr.resource_id
           LEFT JOIN machine m ON sr.resource_type = 'MACHINE' AND m.id = sr.resource_id
          WHERE sr.service_id IN (?) AND COALESCE(r.archived, m.archived) = 0`,
        [uniqueServices],
      ) as Promise<{ service_id: string; resource_type: 'ROOM' | 'MACHINE'; resource_id: string }[]>,
      this.dataSource.query(
        `SELECT s.id, s.first_name, s.last_name, s.hide_from_online_bookings, ss.service_id, ss.duration_minutes, ss.price_minor
           FROM staff s JOIN staff_service ss ON ss.staff_id = s.id
          WHERE s.business_id = ? AND s.branch_id = ? AND s.archived = 0 AND ss.service_id IN (?)
          ORDER BY s.first_name, s.last_name, s.id`,
        [branch.business_id, branch.id, uniqueServices],
      ) as Promise<{ id: string; first_name: string; last_name: string; hide_from_online_bookings: number; service_id: string; duration_minutes: number | null; price_minor: number | null }[]>,
      this.dataSource.query(
        `SELECT 'S' AS kind, id FROM staff WHERE business_id = ? AND branch_id = ? AND archived = 0
         UNION ALL SELECT 'R', id FROM room WHERE business_id = ? AND branch_id = ?
         UNION ALL SELECT 'M', id FROM machine WHERE business_id = ? AND branch_id = ?`,
        [branch.business_id, branch.id, branch.business_id, branch.id, branch.business_id, branch.id],
      ) as Promise<{ kind: 'S' | 'R' | 'M'; id: string }[]>,
    ]);
    if (serviceRows.length !== uniqueServices.length) throw ApiError.notFound('Service');

    const services: ServiceRule[] = serviceRows.map((s) => ({
      id: s.id,
      durationMinutes: s.duration_minutes,
      gap: s.gap_start_minutes !== null && s.gap_duration_minutes > 0 ? { startAfterMinutes: s.gap_start_minutes, durationMinutes: s.gap_duration_minutes } : undefined,
      bufferAfterMinutes: s.buffer_after_minutes,
      onlineBookable: !!s.online_bookable,
      roomIds: resources.filter((r) => r.service_id === s.id && r.resource_type === 'ROOM').map((r) => r.resource_id),
      machineIds: resources.filter((r) => r.service_id === s.id && r.resource_type === 'MACHINE').map((r) => r.resource_id),
    }));

    const staff: StaffInfo[] = [];
    const qualifications = new Map<string, Record<string, StaffQualification>>();
    for (const row of staffRows) {
      if (onlyStaffIds && !onlyStaffIds.includes(row.id)) continue;
      let info = staff.find((s) => s.id === row.id);
      if (!info) {
        info = { id: row.id, name: `${row.first_name} ${row.last_name}`.trim(), firstName: row.first_name, lastName: row.last_name, onlineBookable: !row.hide_from_online_bookings, prices: {} };
        staff.push(info);
        qualifications.set(row.id, {});
      }
      info.prices[row.service_id] = row.price_minor;
      qualifications.get(row.id)![row.service_id] = row.duration_minutes ? { durationMinutes: row.duration_minutes } : {};
    }

    // Chains may run past the window's end; appointments may have started before it.
    const span = { start: window.start - MAX_APPOINTMENT_MS, end: window.end + 2 * MAX_APPOINTMENT_MS };
    const rota = await this.rosters.rota(branch, staff.map((s) => s.id), span);
    const working = new Map<string, Interval[]>();
    const blocked = new Map<string, Interval[]>();
    for (const s of staff) {
      working.set(s.id, rota.get(s.id)?.working ?? []);
      blocked.set(s.id, rota.get(s.id)?.breaks ?? []);
    }
    return {
      branch,
      services,
      serviceRows: new Map(serviceRows.map((s) => [s.id, s])),
      staff,
      qualifications,
      working,
      blocked,
      roomIds: [...new Set(services.flatMap((s) => s.roomIds ?? []))],
      machineIds: [...new Set(services.flatMap((s) => s.machineIds ?? []))],
      branchStaffIds: new Set(bookable.filter((b) => b.kind === 'S').map((b) => b.id)),
      branchRoomIds: new Set(bookable.filter((b) => b.kind === 'R').map((b) => b.id)),
      branchMachineIds: new Set(bookable.filter((b) => b.kind === 'M').map((b) => b.id)),
      span,
    };
  }

  async load(
    base: CalendarBase,
    options: { now: number; clientId?: string; excludeBookingId?: string; excludeAppointmentIds?: string[]; starts?: Interval; manager?: EntityManager },
  ): Promise<CalendarLoad> {
    const m = options.manager ?? this.dataSource.manager;
    const query = this.loadQuery(base, options);
    return query.parse(await Promise.all(query.statements.map(([sql, params]) => m.query(sql, params as unknown[]))));
  }

  /**
   * The load's statements, for a caller that sends them with others in one round trip.
   * `starts`: the only start times to be checked (a booking), so only appointments that overlap
   * what those starts could occupy are read: ones that start before the last start's service
   * could end (the base's longest service, buffer included) and are still busy (buffer included)
   * at the first start. The index range reaches MAX_APPOINTMENT_MS back; the busy-end test
   * leaves the server, so a full day of a stylist's earlier appointments is not sent and parsed
   * for every booking. Otherwise the base's whole span (availability).
   */
  loadQuery(
    base: CalendarBase,
    options: { now: number; clientId?: string; excludeBookingId?: string; excludeAppointmentIds?: string[]; starts?: Interval },
  ): CalendarLoadQuery {
    const now = new Date(options.now);
    const from = new Date((options.starts?.start ?? base.span.start) - MAX_APPOINTMENT_MS);
    const to = new Date(options.starts ? options.starts.end + longestOccupancyMs(base) : base.span.end);
    const stillBusy = options.starts ? 'AND a.busy_end_at > ?' : '';
    const stillBusyParams = options.starts ? [new Date(options.starts.start)] : [];
    const exclude = `${options.excludeBookingId ? 'AND (a.booking_id IS NULL OR a.booking_id <> ?)' : ''} ${options.excludeAppointmentIds?.length ? 'AND a.id NOT IN (?)' : ''}`;
    const excludeParams = [...(options.excludeBookingId ? [options.excludeBookingId] : []), ...(options.excludeAppointmentIds?.length ? [options.excludeAppointmentIds] : [])];
    const staffIds = base.staff.map((s) => s.id);
    // The staff's, rooms', machines' and the client's appointments in one statement: one part
    // per index (tagged), each exactly the query it would be on its own.
    const select = (part: string) =>
      `SELECT '${part}' AS part, a.staff_id, a.client_id, a.room_id, a.machine_id, a.start_at, a.end_at, a.busy_end_at, a.gap_start_at, a.gap_end_at FROM appointment a`;
    const parts: [string, string, unknown][] = [];
    if (staffIds.length) parts.push(['S', 'a.staff_id IN (?)', staffIds]);
    if (base.roomIds.length) parts.push(['R', 'a.room_id IN (?)', base.roomIds]);
    if (base.machineIds.length) parts.push(['M', 'a.machine_id IN (?)', base.machineIds]);
    if (options.clientId) parts.push(['C', 'a.client_id = ?', options.clientId]);
    const statements: Statement[] = [];
    if (parts.length) {
      statements.push([
        parts.map(([part, where]) => `${select(part)} WHERE ${where} AND a.start_at >= ? AND a.start_at < ? ${stillBusy} AND ${LIVE} ${exclude}`).join(' UNION ALL '),
        parts.flatMap(([, , ids]) => [ids, from, to, ...stillBusyParams, now, ...excludeParams]),
      ]);
    }
    if (base.roomIds.length) statements.push(['SELECT id, capacity FROM room WHERE id IN (?)', [base.roomIds]]);
    if (base.machineIds.length) statements.push(['SELECT id, capacity FROM machine WHERE id IN (?)', [base.machineIds]]);
    return {
      statements,
      parse: (results) => {
        let next = 0;
        const blocks = (parts.length ? results[next++] : []) as (AppointmentBlocks & { part: string })[];
        const roomCaps = (base.roomIds.length ? results[next++] : []) as { id: string; capacity: number }[];
        const machineCaps = (base.machineIds.length ? results[next++] : []) as { id: string; capacity: number }[];
        const staffRows = blocks.filter((b) => b.part === 'S');
        const roomRows = blocks.filter((b) => b.part === 'R');
        const machineRows = blocks.filter((b) => b.part === 'M');
        const clientRows = blocks.filter((b) => b.part === 'C');
        const busy = new Map<string, Interval[]>(staffIds.map((id) => [id, []]));
        for (const a of staffRows) busy.get(a.staff_id)?.push(...stylistBlocksOf(a));
        const usage = (rows: AppointmentBlocks[], key: 'room_id' | 'machine_id', id: string) =>
          rows.filter((a) => a[key] === id).map((a) => ({ start: a.start_at.getTime(), end: a.busy_end_at.getTime() }));
        return {
          busy,
          rooms: roomCaps.map((r) => ({ id: r.id, capacity: r.capacity, usages: usage(roomRows, 'room_id', r.id) })),
          machines: machineCaps.map((r) => ({ id: r.id, capacity: r.capacity, usages: usage(machineRows, 'machine_id', r.id) })),
          client: options.clientId ? { id: options.clientId, appointments: clientRows.map((a) => ({ start: a.start_at.getTime(), end: a.end_at.getTime() })) } : undefined,
        };
      },
    };
  }

  /** The engine's staff calendars from a base and a load. */
  staffCalendars(base: CalendarBase, load: CalendarLoad): StaffCalendar[] {
    return base.staff.map((s) => ({
      id: s.id,
      onlineBookable: s.onlineBookable,
      qualifications: base.qualifications.get(s.id) ?? {},
      working: base.working.get(s.id) ?? [],
      blocked: base.blocked.get(s.id) ?? [],
      busy: load.busy.get(s.id) ?? [],
    }));
  }

  online(branch: BranchRow, now: number): OnlineOptions {
    return { now, minNoticeMinutes: branch.online_min_notice_minutes, horizonDays: branch.online_horizon_days };
  }
}

/**
 * The longest time any of the base's services can occupy a stylist, a room or the client from
 * its start: the longest duration (the service's own or a stylist's) plus the buffer after.
 */
export function longestOccupancyMs(base: Pick<CalendarBase, 'services' | 'qualifications'>): number {
  let longest = 0;
  for (const service of base.services) {
    let minutes = service.durationMinutes;
    for (const byService of base.qualifications.values()) minutes = Math.max(minutes, byService[service.id]?.durationMinutes ?? 0);
    longest = Math.max(longest, (minutes + (service.bufferAfterMinutes ?? 0)) * 60_000);
  }
  return longest;
}

/** The stylist-occupied blocks of a stored appointment (its processing gap left free). */
export function stylistBlocksOf(a: Pick<AppointmentBlocks, 'start_at' | 'busy_end_at' | 'gap_start_at' | 'gap_end_at'>): Interval[] {
  const start = a.start_at.getTime();
  const end = a.busy_end_at.getTime();
  if (a.gap_start_at && a.gap_end_at) {
    return [
      { start, end: a.gap_start_at.getTime() },
      { start: a.gap_end_at.getTime(), end },
    ].filter((i) => i.end > i.start);
  }
  return [{ start, end }];
}
