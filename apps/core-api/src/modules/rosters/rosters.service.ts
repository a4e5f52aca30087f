import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Interval, IsoWeekday, resolveWorkingIntervals, RosterOverride, subtractIntervals, WallTimeRange, WeeklyRoster } from '../../scheduling';
import { aliased } from '../../shared/http/aliases';
import { limitOffset, PageQuery, pageOf } from '../../shared/http/paging';
import { explainFailedUpdate, iso } from '../../shared/http/versioning';
import { newId } from '../../shared/ids';
import { setupTransaction } from '../../shared/transactions';
import { addDays, checkDateRange, isLocalDate, localDateTime, localParts, parseIsoInstant, toIso } from '../../shared/time';
import { WEEKDAYS } from '../branches/dto/branch.dto';
import { BranchRow } from '../branches/branch.view';
import { BranchesService } from '../branches/branches.service';
import { BreakDto, RosterOverrideDto, TimeOffDto, TimeSpanDto, UpdateBreakDto, UpdateTimeOffDto, WeeklyRosterDto } from './dto/roster.dto';

interface BreakRow {
  id: string;
  staff_id: string;
  branch_id: string;
  start_at: Date;
  end_at: Date;
  label: string | null;
  paid: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}

interface TimeOffRow {
  id: string;
  staff_id: string;
  start_at: Date;
  end_at: Date;
  reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const hm = (time: string) => time.slice(0, 5);

/** Resolved rota of several staff: working time (time off removed), breaks and time off, as instants. */
export interface StaffRota {
  working: Interval[];
  breaks: Interval[];
  timeOff: Interval[];
}

/**
 * Each staff member's weekly working pattern (local wall times in the branch zone), dated
 * overrides, breaks and time off, and the rota they resolve to: the input of availability.
 */
@Injectable()
export class RostersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
  ) {}

  // ---------------------------------------------------------------- weekly pattern and overrides

  async getRoster(businessId: string, branchId: string, staffId: string) {
    const branch = await this.branches.require(businessId, branchId);
    const [weekly, overrides] = await Promise.all([this.weekly([staffId]), this.overrides([staffId])]);
    return {
      staffId,
      timeZone: branch.time_zone,
      weekly: (weekly.get(staffId) ?? []).flatMap(([day, shifts]) => shifts.map((s) => ({ dayOfWeek: WEEKDAYS[day - 1], startTime: s.start, endTime: s.end }))),
      overrides: (overrides.get(staffId) ?? []).map((o) => ({
        date: o.date,
        dayOff: o.kind === 'dayOff',
        intervals: o.kind === 'hours' ? o.intervals.map((i) => ({ startTime: i.start, endTime: i.end })) : [],
      })),
    };
  }

  async setWeekly(businessId: string, branchId: string, staffId: string, dto: WeeklyRosterDto) {
    for (const [i, shift] of dto.weekly.entries()) {
      if (hm(shift.startTime) === hm(shift.endTime)) throw ApiError.badRequest('VALIDATION_FAILED', 'A shift must not be empty', [{ field: `weekly[${i}]`, message: 'startTime equals endTime' }]);
    }
    // READ COMMITTED: no gap locks, so two managers setting different stylists' weeks at once
    // cannot deadlock on the roster index. The calendar-version triggers' upserts still can
    // (seen once in six concurrent weeks under a loaded test run, answered 503): a deadlock
    // victim runs again, as other set-up changes do.
    await setupTransaction(this.dataSource, async (m) => {
      await m.query('SELECT id FROM staff WHERE id = ? FOR UPDATE', [staffId]);
      await m.query('DELETE FROM staff_roster_interval WHERE staff_id = ? AND business_id = ?', [staffId, businessId]);
      for (const shift of dto.weekly) {
        await m.query('INSERT INTO staff_roster_interval (business_id, staff_id, day_of_week, start_time, end_time) VALUES (?, ?, ?, ?, ?)', [
          businessId,
          staffId,
          WEEKDAYS.indexOf(shift.dayOfWeek) + 1,
          hm(shift.startTime),
          hm(shift.endTime) === '24:00' ? '24:00:00' : hm(shift.endTime),
        ]);
      }
      await m.query('UPDATE staff SET updated_at = NOW(3) WHERE id = ?', [staffId]);
    });
    return this.getRoster(businessId, branchId, staffId);
  }

  async setOverride(businessId: string, branchId: string, staffId: string, date: string, dto: RosterOverrideDto) {
    if (!isLocalDate(date)) throw ApiError.badRequest('VALIDATION_FAILED', 'date must be YYYY-MM-DD', [{ field: 'date', message: 'must be a real date' }]);
    if (!dto.dayOff && !dto.intervals?.length) throw ApiError.badRequest('VALIDATION_FAILED', 'Send dayOff: true or the hours worked', [{ field: 'intervals', message: 'required unless dayOff' }]);
    const intervals = dto.dayOff ? null : JSON.stringify(dto.intervals!.map((i) => ({ start: hm(i.startTime), end: hm(i.endTime) })));
    await this.dataSource.query(
      `INSERT INTO staff_roster_override (business_id, staff_id, date, day_off, intervals) VALUES (?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE day_off = VALUES(day_off), intervals = VALUES(intervals)`,
      [businessId, staffId, date, dto.dayOff ? 1 : 0, intervals],
    );
    return this.getRoster(businessId, branchId, staffId);
  }

  async deleteOverride(businessId: string, staffId: string, date: string): Promise<void> {
    const result: { affectedRows: number } = await this.dataSource.query('DELETE FROM staff_roster_override WHERE staff_id = ? AND business_id = ? AND date = ?', [staffId, businessId, date]);
    if (!result.affectedRows) throw ApiError.notFound('Roster override');
  }

  // ---------------------------------------------------------------- breaks

  async listBreaks(businessId: string, branchId: string, query: PageQuery & { from_date?: string; to_date?: string; staff_id?: string }) {
    const branch = await this.branches.require(businessId, branchId);
    const where = ['business_id = ?', 'branch_id = ?'];
    const params: unknown[] = [businessId, branchId];
    if (query.staff_id) {
      where.push('staff_id = ?');
      params.push(query.staff_id);
    }
    if (query.from_date || query.to_date) {
      const from = query.from_date ?? query.to_date!;
      const to = query.to_date ?? query.from_date!;
      checkDateRange(from, to);
      where.push('start_at < ? AND end_at > ?');
      params.push(new Date(localDateTime(branch.time_zone, addDays(to, 1), '00:00', 'to_date')), new Date(localDateTime(branch.time_zone, from, '00:00', 'from_date')));
    }
    const clause = where.join(' AND ');
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(`SELECT * FROM staff_break WHERE ${clause} ORDER BY start_at, id LIMIT ? OFFSET ?`, [...params, ...limitOffset(query)]) as Promise<BreakRow[]>,
      this.dataSource.query(`SELECT COUNT(*) AS total FROM staff_break WHERE ${clause}`, params) as Promise<{ total: number }[]>,
    ]);
    return pageOf('breaks', rows.map((r) => this.breakView(branch, r)), Number(total), query);
  }

  async getBreak(businessId: string, branchId: string, staffId: string, breakId: string) {
    const branch = await this.branches.require(businessId, branchId);
    const rows: BreakRow[] = await this.dataSource.query('SELECT * FROM staff_break WHERE id = ? AND staff_id = ? AND business_id = ? AND branch_id = ?', [breakId, staffId, businessId, branchId]);
    if (!rows.length) throw ApiError.notFound('Break');
    return this.breakView(branch, rows[0]);
  }

  async createBreak(businessId: string, branchId: string, staffId: string, dto: BreakDto) {
    const label = aliased({ label: dto.label, description: dto.description });
    const branch = await this.branches.require(businessId, branchId);
    const { start, end } = this.span(branch, dto, 24 * 60);
    const id = newId();
    await this.dataSource.query(
      'INSERT INTO staff_break (id, business_id, branch_id, staff_id, start_at, end_at, label, paid, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(3), NOW(3))',
      [id, businessId, branchId, staffId, new Date(start), new Date(end), label ?? null, dto.paidBreak ? 1 : 0],
    );
    return this.getBreak(businessId, branchId, staffId, id);
  }

  async updateBreak(businessId: string, branchId: string, staffId: string, breakId: string, dto: UpdateBreakDto) {
    const label = aliased({ label: dto.label, description: dto.description });
    const branch = await this.branches.require(businessId, branchId);
    const { start, end } = this.span(branch, dto, 24 * 60);
    await this.dataSource.transaction(async (m) => {
      const result: { affectedRows: number } = await m.query(
        `UPDATE staff_break SET start_at = ?, end_at = ?, label = ?, paid = ?, version = version + 1, updated_at = NOW(3)
          WHERE id = ? AND staff_id = ? AND business_id = ? AND version = ?`,
        [new Date(start), new Date(end), label ?? null, dto.paidBreak ? 1 : 0, breakId, staffId, businessId, dto.version],
      );
      if (!result.affectedRows) await explainFailedUpdate(m, 'staff_break', breakId, businessId, 'Break');
    });
    return this.getBreak(businessId, branchId, staffId, breakId);
  }

  async deleteBreak(businessId: string, staffId: string, breakId: string): Promise<void> {
    const result: { affectedRows: number } = await this.dataSource.query('DELETE FROM staff_break WHERE id = ? AND staff_id = ? AND business_id = ?', [breakId, staffId, businessId]);
    if (!result.affectedRows) throw ApiError.notFound('Break');
  }

  // ---------------------------------------------------------------- time off

  async listTimeOff(businessId: string, branchId: string, staffId: string) {
    await this.branches.require(businessId, branchId);
    const rows: TimeOffRow[] = await this.dataSource.query('SELECT * FROM staff_time_off WHERE staff_id = ? AND business_id = ? AND end_at > NOW(3) - INTERVAL 30 DAY ORDER BY start_at', [
      staffId,
      businessId,
    ]);
    return rows.map((r) => this.timeOffView(r));
  }

  async createTimeOff(businessId: string, branchId: string, staffId: string, dto: TimeOffDto) {
    await this.branches.require(businessId, branchId);
    const start = parseIsoInstant(dto.startTime, 'startTime');
    const end = parseIsoInstant(dto.endTime, 'endTime');
    this.checkOrder(start, end, 366 * 24 * 60);
    const id = newId();
    await this.dataSource.query(
      'INSERT INTO staff_time_off (id, business_id, branch_id, staff_id, start_at, end_at, reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, NOW(3), NOW(3))',
      [id, businessId, branchId, staffId, new Date(start), new Date(end), dto.reason ?? null],
    );
    const rows: TimeOffRow[] = await this.dataSource.query('SELECT * FROM staff_time_off WHERE id = ?', [id]);
    return this.timeOffView(rows[0]);
  }

  async updateTimeOff(businessId: string, staffId: string, timeOffId: string, dto: UpdateTimeOffDto) {
    const start = parseIsoInstant(dto.startTime, 'startTime');
    const end = parseIsoInstant(dto.endTime, 'endTime');
    this.checkOrder(start, end, 366 * 24 * 60);
    await this.dataSource.transaction(async (m: EntityManager) => {
      const result: { affectedRows: number } = await m.query(
        'UPDATE staff_time_off SET start_at = ?, end_at = ?, reason = ?, version = version + 1, updated_at = NOW(3) WHERE id = ? AND staff_id = ? AND business_id = ? AND version = ?',
        [new Date(start), new Date(end), dto.reason ?? null, timeOffId, staffId, businessId, dto.version],
      );
      if (!result.affectedRows) await explainFailedUpdate(m, 'staff_time_off', timeOffId, businessId, 'Time off');
    });
    const rows: TimeOffRow[] = await this.dataSource.query('SELECT * FROM staff_time_off WHERE id = ?', [timeOffId]);
    return this.timeOffView(rows[0]);
  }

  async deleteTimeOff(businessId: string, staffId: string, timeOffId: string): Promise<void> {
    const result: { affectedRows: number } = await this.dataSource.query('DELETE FROM staff_time_off WHERE id = ? AND staff_id = ? AND business_id = ?', [timeOffId, staffId, businessId]);
    if (!result.affectedRows) throw ApiError.notFound('Time off');
  }

  // ---------------------------------------------------------------- resolved rota

  /**
   * Working time of each staff member over [window), as instants: the weekly pattern and
   * overrides resolved in the branch zone (from the day before, so a shift that started
   * yesterday evening counts), minus time off; breaks and time off listed separately.
   */
  async rota(branch: BranchRow, staffIds: string[], window: Interval): Promise<Map<string, StaffRota>> {
    const result = new Map<string, StaffRota>();
    if (!staffIds.length) return result;
    const fromDate = addDays(localParts(branch.time_zone, window.start).date, -1);
    const toDate = localParts(branch.time_zone, window.end).date;
    // Breaks and time off in one statement (each part on its own index), beside the roster reads.
    const [weekly, overrides, absences] = await Promise.all([
      this.weekly(staffIds),
      this.overrides(staffIds, fromDate, toDate),
      this.dataSource.query(
        `SELECT 'BREAK' AS kind, staff_id, start_at, end_at FROM staff_break WHERE staff_id IN (?) AND start_at < ? AND end_at > ?
         UNION ALL
         SELECT 'OFF' AS kind, staff_id, start_at, end_at FROM staff_time_off WHERE staff_id IN (?) AND start_at < ? AND end_at > ?`,
        [staffIds, new Date(window.end), new Date(window.start), staffIds, new Date(window.end), new Date(window.start)],
      ) as Promise<{ kind: 'BREAK' | 'OFF'; staff_id: string; start_at: Date; end_at: Date }[]>,
    ]);
    const breaks = absences.filter((a) => a.kind === 'BREAK');
    const timeOff = absences.filter((a) => a.kind === 'OFF');
    for (const staffId of staffIds) {
      const pattern: Partial<Record<IsoWeekday, WallTimeRange[]>> = {};
      for (const [day, shifts] of weekly.get(staffId) ?? []) pattern[day] = shifts;
      const off = timeOff.filter((t) => t.staff_id === staffId).map((t) => ({ start: t.start_at.getTime(), end: t.end_at.getTime() }));
      const working = resolveWorkingIntervals({ timeZone: branch.time_zone, weekly: pattern as WeeklyRoster, overrides: overrides.get(staffId) ?? [], fromDate, toDate });
      result.set(staffId, {
        working: subtractIntervals(working, off),
        breaks: breaks.filter((b) => b.staff_id === staffId).map((b) => ({ start: b.start_at.getTime(), end: b.end_at.getTime() })),
        timeOff: off,
      });
    }
    return result;
  }

  /** The rota as Phorest's staff-work-time-table lists it: one entry per working interval. */
  async workTimeTable(businessId: string, branchId: string, from: string, to: string, staffId?: string) {
    checkDateRange(from, to);
    const branch = await this.branches.require(businessId, branchId);
    const staffIds: string[] = staffId
      ? [staffId]
      : (await this.dataSource.query('SELECT id FROM staff WHERE business_id = ? AND branch_id = ? AND archived = 0 ORDER BY first_name, id', [businessId, branchId])).map((r: { id: string }) => r.id);
    const window = { start: localDateTime(branch.time_zone, from, '00:00', 'from_date'), end: localDateTime(branch.time_zone, addDays(to, 1), '00:00', 'to_date') };
    const rota = await this.rota(branch, staffIds, window);
    return staffIds.flatMap((id) =>
      (rota.get(id)?.working ?? [])
        // A shift belongs to the day it starts on and is shown whole (a night shift runs on).
        .filter((w) => w.start >= window.start && w.start < window.end)
        .map((w) => {
          const start = localParts(branch.time_zone, w.start);
          const end = localParts(branch.time_zone, w.end);
          return { staffId: id, branchId, date: start.date, startTime: start.time, endTime: end.time, startDateTime: toIso(w.start), endDateTime: toIso(w.end), type: 'WORKING' };
        }),
    );
  }

  // ---------------------------------------------------------------- helpers

  private async weekly(staffIds: string[]): Promise<Map<string, [IsoWeekday, WallTimeRange[]][]>> {
    const rows: { staff_id: string; day_of_week: number; start_time: string; end_time: string }[] = await this.dataSource.query(
      'SELECT staff_id, day_of_week, start_time, end_time FROM staff_roster_interval WHERE staff_id IN (?) ORDER BY day_of_week, start_time',
      [staffIds],
    );
    const map = new Map<string, Map<IsoWeekday, WallTimeRange[]>>();
    for (const r of rows) {
      const days = map.get(r.staff_id) ?? new Map<IsoWeekday, WallTimeRange[]>();
      map.set(r.staff_id, days);
      const day = r.day_of_week as IsoWeekday;
      const end = hm(r.end_time) === '24:00' || r.end_time.startsWith('24') ? '24:00' : hm(r.end_time);
      days.set(day, [...(days.get(day) ?? []), { start: hm(r.start_time), end }]);
    }
    return new Map([...map].map(([staff, days]) => [staff, [...days]]));
  }

  private async overrides(staffIds: string[], fromDate?: string, toDate?: string): Promise<Map<string, RosterOverride[]>> {
    const range = fromDate && toDate ? 'AND date BETWEEN ? AND ?' : 'AND date >= CURDATE() - INTERVAL 1 DAY';
    const rows: { staff_id: string; date: string | Date; day_off: number; intervals: string | { start: string; end: string }[] | null }[] = await this.dataSource.query(
      `SELECT staff_id, DATE_FORMAT(date, '%Y-%m-%d') AS date, day_off, intervals FROM staff_roster_override WHERE staff_id IN (?) ${range} ORDER BY date`,
      fromDate && toDate ? [staffIds, fromDate, toDate] : [staffIds],
    );
    const map = new Map<string, RosterOverride[]>();
    for (const r of rows) {
      const date = String(r.date);
      const intervals = typeof r.intervals === 'string' ? (JSON.parse(r.intervals) as WallTimeRange[]) : (r.intervals ?? []);
      const override: RosterOverride = r.day_off ? { date, kind: 'dayOff' } : { date, kind: 'hours', intervals };
      map.set(r.staff_id, [...(map.get(r.staff_id) ?? []), override]);
    }
    return map;
  }

  private span(branch: BranchRow, dto: TimeSpanDto, maxMinutes: number): { start: number; end: number } {
    const start = dto.breakDate ? localDateTime(branch.time_zone, dto.breakDate, dto.startTime, 'startTime') : parseIsoInstant(dto.startTime, 'startTime');
    let end = dto.breakDate ? localDateTime(branch.time_zone, dto.breakDate, dto.endTime, 'endTime') : parseIsoInstant(dto.endTime, 'endTime');
    if (dto.breakDate && end <= start) end = localDateTime(branch.time_zone, addDays(dto.breakDate, 1), dto.endTime, 'endTime');
    this.checkOrder(start, end, maxMinutes);
    return { start, end };
  }

  private checkOrder(start: number, end: number, maxMinutes: number): void {
    if (end <= start) throw ApiError.badRequest('VALIDATION_FAILED', 'endTime must be after startTime', [{ field: 'endTime', message: 'must be after startTime' }]);
    if (end - start > maxMinutes * 60_000) throw ApiError.badRequest('VALIDATION_FAILED', 'That span is too long', [{ field: 'endTime', message: `at most ${maxMinutes} minutes after startTime` }]);
  }

  private breakView(branch: BranchRow, r: BreakRow) {
    const start = localParts(branch.time_zone, r.start_at);
    const end = localParts(branch.time_zone, r.end_at);
    return {
      breakId: r.id,
      staffId: r.staff_id,
      branchId: r.branch_id,
      version: r.version,
      breakDate: start.date,
      startTime: start.time,
      endTime: end.time,
      startDateTime: iso(r.start_at),
      endDateTime: iso(r.end_at),
      label: r.label,
      description: r.label,
      paidBreak: !!r.paid,
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
    };
  }

  private timeOffView(r: TimeOffRow) {
    return { timeOffId: r.id, staffId: r.staff_id, version: r.version, startTime: iso(r.start_at), endTime: iso(r.end_at), reason: r.reason, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) };
  }
}
