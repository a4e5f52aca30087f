import { DomainEvent } from '@chairbook/contracts';
import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainEvents } from '../../events/domain-events';
import { checkBooking, effectiveTiming } from '../../scheduling';
import { aliased } from '../../shared/http/aliases';
import { limitOffset, pageOf } from '../../shared/http/paging';
import { toMinor } from '../../shared/money';
import { addDays, checkDateRange, localDateTime, localParts, parseIsoInstant } from '../../shared/time';
import type { Principal } from '../auth/principal';
import { BranchesService } from '../branches/branches.service';
import { APPOINTMENT_SELECT, AppointmentReader, AppointmentRow, appointmentState, appointmentView, effectiveActivation } from './appointment.views';
import { AppointmentAction, canReschedule, transition } from './appointment-state';
import { BranchCalendarLoader } from './calendar/branch-calendar.loader';
import { AppointmentListQuery, UpdateAppointmentDto } from './dto/appointment.dto';
import { refusal } from './use-cases/create-booking.use-case';
import { lockRows } from './use-cases/locking';

/**
 * The appointment book: the day view and incremental sync, one appointment, changes of time,
 * staff or service (checked by the same rules as a new booking), and the state machine.
 */
@Injectable()
export class AppointmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
    private readonly calendar: BranchCalendarLoader,
    private readonly reader: AppointmentReader,
    private readonly events: DomainEvents,
  ) {}

  async list(businessId: string, branchId: string, q: AppointmentListQuery) {
    const branch = await this.branches.require(businessId, branchId);
    const where = ['a.business_id = ?', 'a.branch_id = ?'];
    const params: unknown[] = [businessId, branchId];
    const byDate = q.from_date !== undefined || q.to_date !== undefined;
    const byUpdate = q.updated_from !== undefined || q.updated_to !== undefined;
    if (!byDate && !byUpdate) {
      throw ApiError.badRequest('VALIDATION_FAILED', 'Give from_date and to_date (local dates, at most 31 days) or updated_from/updated_to', [{ field: 'from_date', message: 'required' }]);
    }
    if (byDate) {
      const from = q.from_date ?? q.to_date!;
      const to = q.to_date ?? q.from_date!;
      checkDateRange(from, to);
      where.push('a.start_at >= ? AND a.start_at < ?');
      params.push(new Date(localDateTime(branch.time_zone, from, '00:00', 'from_date')), new Date(localDateTime(branch.time_zone, addDays(to, 1), '00:00', 'to_date')));
    }
    if (q.updated_from) {
      where.push('a.updated_at >= ?');
      params.push(new Date(q.updated_from));
    }
    if (q.updated_to) {
      where.push('a.updated_at <= ?');
      params.push(new Date(q.updated_to));
    }
    if (q.updated_from && q.updated_to && Date.parse(q.updated_to) - Date.parse(q.updated_from) > 31 * 86_400_000) {
      throw ApiError.badRequest('DATE_RANGE_TOO_LONG', 'Max date range allowed is 31 days', [{ field: 'updated_to', message: 'at most 31 days after updated_from' }]);
    }
    if (q.staff_id) {
      await this.requireOwned('staff', businessId, q.staff_id, 'Staff member');
      where.push('a.staff_id = ?');
      params.push(q.staff_id);
    }
    if (q.client_id) {
      await this.requireOwned('client', businessId, q.client_id, 'Client');
      where.push('a.client_id = ?');
      params.push(q.client_id);
    }
    if (!q.fetch_canceled) {
      where.push("(a.activation_state = 'ACTIVE' OR (a.activation_state = 'RESERVED' AND a.hold_expires_at > NOW(3)))");
    }
    const clause = where.join(' AND ');
    const order = byDate ? 'a.start_at, a.staff_id, a.id' : 'a.updated_at, a.id';
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(`${APPOINTMENT_SELECT} WHERE ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`, [...params, ...limitOffset(q)]) as Promise<AppointmentRow[]>,
      this.dataSource.query(`SELECT COUNT(*) AS total FROM appointment a WHERE ${clause}`, params) as Promise<{ total: number }[]>,
    ]);
    return pageOf('appointments', rows.map(appointmentView), Number(total), q);
  }

  async get(businessId: string, branchId: string, appointmentId: string) {
    return appointmentView(await this.row(businessId, branchId, appointmentId));
  }

  async act(businessId: string, branchId: string, appointmentId: string, action: AppointmentAction) {
    await this.dataSource.transaction(async (m) => {
      const [row] = await this.reader.byIds([appointmentId], m);
      if (!row || row.business_id !== businessId || row.branch_id !== branchId) throw ApiError.notFound('Appointment');
      await m.query('SELECT id FROM appointment WHERE id = ? FOR UPDATE', [appointmentId]);
      const result = transition({ state: row.state, activation: effectiveActivation(row) }, action);
      if (!result.ok) throw ApiError.conflict('ILLEGAL_STATE_TRANSITION', result.reason, { currentState: appointmentState(row), activationState: effectiveActivation(row) });
      await m.query(
        `UPDATE appointment SET state = ?, activation_state = ?, confirmed = IF(? = 'confirm', 1, confirmed),
           canceled_at = IF(? = 'CANCELED', NOW(3), canceled_at), version = version + 1, updated_at = NOW(3) WHERE id = ?`,
        [result.next.state, result.next.activation, action, result.next.activation, appointmentId],
      );
      const [after] = await this.reader.byIds([appointmentId], m);
      if (result.event) await this.events.record(m, this.reader.event(result.event, after));
    });
    this.events.flush();
    return this.get(businessId, branchId, appointmentId);
  }

  async note(businessId: string, branchId: string, appointmentId: string, note: string) {
    const result: { affectedRows: number } = await this.dataSource.query(
      "UPDATE appointment SET notes = TRIM(CONCAT(COALESCE(notes, ''), IF(notes IS NULL OR notes = '', '', '\\n'), ?)), version = version + 1, updated_at = NOW(3) WHERE id = ? AND business_id = ? AND branch_id = ?",
      [note, appointmentId, businessId, branchId],
    );
    if (!result.affectedRows) throw ApiError.notFound('Appointment');
    return this.get(businessId, branchId, appointmentId);
  }

  /**
   * Moves or changes an appointment. Time, staff, service and room changes are checked by the
   * scheduling engine against everything else (the appointment itself excluded), under the
   * same row locks as a new booking.
   */
  async update(principal: Principal, businessId: string, branchId: string, appointmentId: string, dto: UpdateAppointmentDto, now = Date.now()) {
    if (dto.appointmentId && dto.appointmentId !== appointmentId) throw ApiError.badRequest('VALIDATION_FAILED', 'appointmentId does not match the path', [{ field: 'appointmentId', message: 'must match the path' }]);
    const notes = aliased({ notes: dto.notes, note: dto.note });
    const branch = await this.branches.require(businessId, branchId);
    const current = await this.row(businessId, branchId, appointmentId);
    const newStart = this.newStart(branch.time_zone, current, dto);
    const staffId = dto.staffId ?? current.staff_id;
    const serviceId = dto.serviceId ?? current.service_id;
    const roomId = dto.roomId === undefined ? current.room_id : dto.roomId;
    const machineId = dto.machineId === undefined ? current.machine_id : dto.machineId;
    const moves = newStart !== current.start_at.getTime() || staffId !== current.staff_id || serviceId !== current.service_id || roomId !== current.room_id || machineId !== current.machine_id;
    if (moves && !canReschedule({ state: current.state, activation: effectiveActivation(current) })) {
      throw ApiError.conflict('ILLEGAL_STATE_TRANSITION', `A ${current.state.toLowerCase()} or cancelled appointment cannot be moved`);
    }
    if (staffId !== current.staff_id && current.staff_request && dto.staffRequest !== false) {
      throw new ApiError(409, 'STAFF_REQUESTED', 'The client asked for this stylist; send staffRequest: false to move them to someone else', { detail: 'STAFF_REQUESTED' });
    }
    if (dto.staffId) await this.requireOwned('staff', businessId, dto.staffId, 'Staff member');
    if (dto.serviceId) await this.requireOwned('service', businessId, dto.serviceId, 'Service');
    let priceMinor: number | undefined;
    if (dto.price !== undefined) {
      priceMinor = toMinor(dto.price, branch.currency);
      if (priceMinor === undefined) throw ApiError.badRequest('VALIDATION_FAILED', `price has more decimals than ${branch.currency} allows`, [{ field: 'price', message: 'too many decimals' }]);
    }

    const base = moves ? await this.calendar.base(branch, [serviceId], { start: newStart, end: newStart + 1 }, [staffId]) : undefined;
    await this.dataSource.transaction('READ COMMITTED', async (m) => {
      let set: Record<string, unknown> = {};
      if (moves && base) {
        await lockRows(m, { clientIds: [current.client_id], staffIds: [current.staff_id, staffId], roomIds: base.roomIds, machineIds: base.machineIds });
        const load = await this.calendar.load(base, { now, clientId: current.client_id, excludeAppointmentIds: [appointmentId], manager: m });
        const result = checkBooking({
          branch: { timeZone: branch.time_zone, slotStepMinutes: branch.slot_step_minutes },
          services: base.services,
          staff: this.calendar.staffCalendars(base, load),
          rooms: load.rooms,
          machines: load.machines,
          schedules: [{ serviceId, staffId, start: newStart, roomId: roomId ?? undefined, machineId: machineId ?? undefined, clientId: current.client_id }],
          clients: load.client ? [load.client] : [],
        });
        if (!result.ok) throw refusal(result.code, dto.startTime !== undefined ? 'startTime' : dto.staffId !== undefined ? 'staffId' : 'serviceId');
        const resolved = result.schedules[0];
        const timing = effectiveTiming(base.services[0], base.qualifications.get(staffId)?.[serviceId]);
        const gapStart = timing.gap ? resolved.start + timing.gap.startAfterMinutes * 60_000 : null;
        set = {
          start_at: new Date(resolved.start),
          end_at: new Date(resolved.end),
          busy_end_at: new Date(resolved.end + (timing.bufferAfterMinutes ?? 0) * 60_000),
          gap_start_at: gapStart ? new Date(gapStart) : null,
          gap_end_at: gapStart && timing.gap ? new Date(gapStart + timing.gap.durationMinutes * 60_000) : null,
          staff_id: staffId,
          service_id: serviceId,
          room_id: resolved.roomId ?? null,
          machine_id: resolved.machineId ?? null,
        };
        if (serviceId !== current.service_id && priceMinor === undefined) {
          priceMinor = base.staff.find((s) => s.id === staffId)?.prices[serviceId] ?? base.serviceRows.get(serviceId)!.price_minor;
        }
      }
      Object.assign(set, {
        notes,
        confirmed: dto.confirmed === undefined ? undefined : dto.confirmed ? 1 : 0,
        staff_request: dto.staffRequest === undefined ? undefined : dto.staffRequest ? 1 : 0,
        price_minor: priceMinor,
      });
      const entries = Object.entries(set).filter(([, v]) => v !== undefined);
      const result: { affectedRows: number } = await m.query(
        `UPDATE appointment SET ${entries.map(([k]) => `${k} = ?, `).join('')}version = version + 1, updated_at = NOW(3) WHERE id = ? AND version = ?`,
        [...entries.map(([, v]) => v), appointmentId, dto.version],
      );
      if (!result.affectedRows) {
        throw ApiError.conflict('VERSION_CONFLICT', `The appointment was changed by someone else (now version ${current.version}); read it again and retry`, { currentVersion: current.version });
      }
      const [after] = await this.reader.byIds([appointmentId], m);
      const events: DomainEvent[] = [];
      if (moves) {
        events.push(this.reader.event('appointment.rescheduled', after, { previousStartTime: current.start_at.toISOString(), previousEndTime: current.end_at.toISOString() }));
      }
      if (dto.confirmed === true && !current.confirmed) events.push(this.reader.event('appointment.confirmed', after));
      await this.events.record(m, ...events);
    });
    this.events.flush();
    return this.get(businessId, branchId, appointmentId);
  }

  private newStart(timeZone: string, current: AppointmentRow, dto: UpdateAppointmentDto): number {
    if (dto.startTime === undefined && dto.appointmentDate === undefined) return current.start_at.getTime();
    if (dto.startTime && /[tT]/.test(dto.startTime)) return parseIsoInstant(dto.startTime, 'startTime');
    const local = localParts(timeZone, current.start_at);
    return localDateTime(timeZone, dto.appointmentDate ?? local.date, dto.startTime ?? local.time, 'startTime');
  }

  private async row(businessId: string, branchId: string, appointmentId: string): Promise<AppointmentRow> {
    const [row] = await this.reader.byIds([appointmentId]);
    if (!row || row.business_id !== businessId || row.branch_id !== branchId) throw ApiError.notFound('Appointment');
    return row;
  }

  private async requireOwned(table: 'staff' | 'client' | 'service', businessId: string, id: string, what: string): Promise<void> {
    const rows: unknown[] = await this.dataSource.query(`SELECT id FROM ${table} WHERE id = ? AND business_id = ?`, [id, businessId]);
    if (!rows.length) throw ApiError.notFound(what);
  }
}
