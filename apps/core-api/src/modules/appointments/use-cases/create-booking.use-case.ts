import { DomainEvent } from '@chairbook/contracts';
import { ApiError, isTransientDbError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { checkBooking, effectiveTiming, RefusalCode, ScheduleRequest } from '../../../scheduling';
import { DomainEvents } from '../../../events/domain-events';
import { IdempotencyScope } from '../../../shared/http/idempotency-scope';
import { newId } from '../../../shared/ids';
import { toMajor, toMinor } from '../../../shared/money';
import { parseIsoInstant } from '../../../shared/time';
import type { Principal } from '../../auth/principal';
import { BranchesService } from '../../branches/branches.service';
import { AppointmentReader } from '../appointment.views';
import { BranchCalendarLoader } from '../calendar/branch-calendar.loader';
import { CreateBookingDto } from '../dto/booking.dto';
import { lockRows } from './locking';

/** Refusals that mean "the request was wrong" (400) rather than "the time is taken" (409). */
const INVALID: ReadonlySet<RefusalCode> = new Set(['STAFF_UNQUALIFIED', 'RESOURCE_NOT_SUITABLE', 'SERVICE_NOT_ONLINE_BOOKABLE', 'STAFF_NOT_ONLINE_BOOKABLE']);

const MESSAGES: Record<RefusalCode, string> = {
  STAFF_UNQUALIFIED: 'That staff member does not do that service',
  SERVICE_NOT_ONLINE_BOOKABLE: 'That service cannot be booked online',
  STAFF_NOT_ONLINE_BOOKABLE: 'That staff member cannot be booked online',
  RESOURCE_NOT_SUITABLE: 'That room or machine is not one the service can use',
  OUTSIDE_BOOKING_WINDOW: 'That time is outside the online booking window (too soon, too far ahead, or not an offered start)',
  STAFF_NOT_WORKING: 'The staff member is not working (or on a break) for the whole service',
  STAFF_DOUBLE_BOOKED: 'The staff member is already booked at that time',
  CLIENT_ALREADY_BOOKED_THIS_TIME: 'The client already has an appointment at that time',
  EXCEEDED_ROOM_CAPACITY: 'The room or machine is full at that time',
};

export function refusal(code: RefusalCode, field: string): ApiError {
  return new ApiError(INVALID.has(code) ? 400 : 409, code, MESSAGES[code], { detail: code, fields: [{ field, message: MESSAGES[code] }] });
}

interface FlatSchedule {
  clientId: string;
  serviceId: string;
  staffId: string;
  start: number;
  roomId?: string;
  machineId?: string;
  priceMinor?: number;
  staffRequest: boolean;
  field: string;
}

/**
 * Books one or more services for one or more clients, all or nothing. No double booking,
 * whatever the timing and however many copies of the service run: inside one READ COMMITTED
 * transaction the client, staff, room and machine rows involved are locked in a fixed order
 * (so two bookings that could clash queue behind each other and the second sees the first),
 * then the same rules as availability decide, then the appointments and their events are
 * written. A deadlock or lock timeout retries the whole transaction.
 */
@Injectable()
export class CreateBookingUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
    private readonly calendar: BranchCalendarLoader,
    private readonly reader: AppointmentReader,
    private readonly events: DomainEvents,
  ) {}

  async execute(principal: Principal, businessId: string, branchId: string, dto: CreateBookingDto, now = Date.now()) {
    const branch = await this.branches.require(businessId, branchId);
    const online = principal.role === 'SERVICE';
    const schedules: FlatSchedule[] = dto.clientAppointmentSchedules.flatMap((c, ci) =>
      c.serviceSchedules.map((s, si) => {
        const field = `clientAppointmentSchedules[${ci}].serviceSchedules[${si}]`;
        let priceMinor: number | undefined;
        if (s.price !== undefined) {
          if (online) throw ApiError.badRequest('VALIDATION_FAILED', 'Online bookings cannot set prices', [{ field: `${field}.price`, message: 'not allowed online' }]);
          priceMinor = toMinor(s.price, branch.currency);
          if (priceMinor === undefined) throw ApiError.badRequest('VALIDATION_FAILED', `price has more decimals than ${branch.currency} allows`, [{ field: `${field}.price`, message: 'too many decimals' }]);
        }
        return {
          clientId: c.clientId,
          serviceId: s.serviceId,
          staffId: s.staffId,
          start: parseIsoInstant(s.startTime, `${field}.startTime`),
          roomId: s.roomId ?? undefined,
          machineId: s.machineId ?? undefined,
          priceMinor,
          staffRequest: !!s.staffRequest,
          field,
        };
      }),
    );
    const clientIds = [...new Set([dto.clientId, ...schedules.map((s) => s.clientId)].filter((c): c is string => !!c))];
    const staffIds = [...new Set(schedules.map((s) => s.staffId))];
    await this.checkReferences(businessId, branchId, clientIds, staffIds, schedules);

    const starts = schedules.map((s) => s.start);
    const base = await this.calendar.base(branch, schedules.map((s) => s.serviceId), { start: Math.min(...starts), end: Math.max(...starts) + 1 }, staffIds);
    const status = dto.bookingStatus ?? 'ACTIVE';
    const bookingId = newId();
    const holdExpiresAt = status === 'RESERVED' ? new Date(now + branch.hold_minutes * 60_000) : null;

    const answer = await this.withRetry(() =>
      this.dataSource.transaction('READ COMMITTED', async (m) => {
        // The request's Idempotency-Key first (a duplicate waits here), then the rows in their order.
        await IdempotencyScope.claim(m);
        await lockRows(m, { clientIds, staffIds, roomIds: base.roomIds, machineIds: base.machineIds });
        const loads = await Promise.all(clientIds.map((clientId) => this.calendar.load(base, { now, clientId, manager: m })));
        const load = loads[0];
        const result = checkBooking({
          branch: { timeZone: branch.time_zone, slotStepMinutes: branch.slot_step_minutes },
          services: base.services,
          staff: this.calendar.staffCalendars(base, load),
          rooms: load.rooms,
          machines: load.machines,
          online: online ? this.calendar.online(branch, now) : undefined,
          schedules: schedules.map((s): ScheduleRequest => ({ serviceId: s.serviceId, staffId: s.staffId, start: s.start, roomId: s.roomId, machineId: s.machineId, clientId: s.clientId })),
          clients: loads.map((l) => l.client!).filter(Boolean),
        });
        if (!result.ok) throw refusal(result.code, schedules[result.scheduleIndex].field);

        const ts = new Date(now);
        await m.query(
          'INSERT INTO booking (id, business_id, branch_id, client_id, status, hold_expires_at, source, note, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [bookingId, businessId, branchId, dto.clientId ?? schedules[0].clientId, status, holdExpiresAt, online ? 'ONLINE' : 'API', dto.note ?? null, principal.userId, ts, ts],
        );
        const ids: string[] = [];
        for (const [i, resolved] of result.schedules.entries()) {
          const request = schedules[i];
          const service = base.services.find((s) => s.id === resolved.serviceId)!;
          const timing = effectiveTiming(service, base.qualifications.get(resolved.staffId)?.[resolved.serviceId]);
          const gapStart = timing.gap ? resolved.start + timing.gap.startAfterMinutes * 60_000 : null;
          const gapEnd = timing.gap ? gapStart! + timing.gap.durationMinutes * 60_000 : null;
          const busyEnd = resolved.end + (timing.bufferAfterMinutes ?? 0) * 60_000;
          const price = request.priceMinor ?? base.staff.find((s) => s.id === resolved.staffId)?.prices[resolved.serviceId] ?? base.serviceRows.get(resolved.serviceId)!.price_minor;
          const id = newId();
          ids.push(id);
          await m.query(
            `INSERT INTO appointment (id, business_id, branch_id, booking_id, client_id, staff_id, service_id, room_id, machine_id, start_at, end_at,
               busy_end_at, gap_start_at, gap_end_at, state, activation_state, hold_expires_at, staff_request, price_minor, source, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'BOOKED', ?, ?, ?, ?, ?, ?, ?)`,
            [
              id, businessId, branchId, bookingId, request.clientId, resolved.staffId, resolved.serviceId, resolved.roomId ?? null, resolved.machineId ?? null,
              new Date(resolved.start), new Date(resolved.end), new Date(busyEnd), gapStart ? new Date(gapStart) : null, gapEnd ? new Date(gapEnd) : null,
              status, holdExpiresAt, request.staffRequest ? 1 : 0, price, online ? 'ONLINE' : 'API', ts, ts,
            ],
          );
        }
        const rows = await this.reader.byIds(ids, m);
        const events: DomainEvent[] = rows.map((r) => this.reader.event('appointment.booked', r));
        if (status === 'ACTIVE') events.push(this.reader.bookingEvent('booking.confirmed', rows, bookingId));
        await this.events.record(m, ...events);
        // The answer commits with the booking: a retry whose first answer was lost gets it back.
        const view = await this.view(bookingId, ids, m);
        await IdempotencyScope.answer(m, view);
        return view;
      }),
    );
    this.events.flush();
    return answer;
  }

  async view(bookingId: string, appointmentIds?: string[], manager?: EntityManager) {
    const rows = appointmentIds ? await this.reader.byIds(appointmentIds, manager) : await this.reader.byBooking(bookingId, manager);
    const [booking]: { status: string; hold_expires_at: Date | null; client_id: string; note: string | null; source: string }[] = await (manager ?? this.dataSource.manager).query(
      'SELECT status, hold_expires_at, client_id, note, source FROM booking WHERE id = ?',
      [bookingId],
    );
    const expired = booking.status === 'RESERVED' && booking.hold_expires_at !== null && booking.hold_expires_at.getTime() <= Date.now();
    const byClient = new Map<string, typeof rows>();
    for (const row of rows) byClient.set(row.client_id, [...(byClient.get(row.client_id) ?? []), row]);
    return {
      bookingId,
      bookingStatus: expired ? 'CANCELED' : booking.status,
      clientId: booking.client_id,
      source: booking.source,
      note: booking.note,
      holdExpiresAt: booking.status === 'RESERVED' ? booking.hold_expires_at?.toISOString() : null,
      clientAppointmentSchedules: [...byClient].map(([clientId, list]) => ({
        clientId,
        serviceSchedules: list.map((r) => ({
          appointmentId: r.id,
          serviceId: r.service_id,
          staffId: r.staff_id,
          startTime: r.start_at.toISOString(),
          endTime: r.end_at.toISOString(),
          roomId: r.room_id,
          machineId: r.machine_id,
          price: toMajor(r.price_minor, r.currency),
        })),
      })),
      links: [],
    };
  }

  private async checkReferences(businessId: string, branchId: string, clientIds: string[], staffIds: string[], schedules: FlatSchedule[]): Promise<void> {
    const count = async (sql: string, params: unknown[]) => ((await this.dataSource.query(sql, params)) as unknown[]).length;
    if ((await count('SELECT id FROM client WHERE business_id = ? AND id IN (?)', [businessId, clientIds])) !== clientIds.length) throw ApiError.notFound('Client');
    if ((await count('SELECT id FROM staff WHERE business_id = ? AND branch_id = ? AND archived = 0 AND id IN (?)', [businessId, branchId, staffIds])) !== staffIds.length) {
      throw ApiError.notFound('Staff member');
    }
    const serviceIds = [...new Set(schedules.map((s) => s.serviceId))];
    if ((await count('SELECT id FROM service WHERE business_id = ? AND branch_id = ? AND id IN (?)', [businessId, branchId, serviceIds])) !== serviceIds.length) throw ApiError.notFound('Service');
    const rooms = [...new Set(schedules.map((s) => s.roomId).filter((r): r is string => !!r))];
    if (rooms.length && (await count('SELECT id FROM room WHERE business_id = ? AND branch_id = ? AND id IN (?)', [businessId, branchId, rooms])) !== rooms.length) throw ApiError.notFound('Room');
    const machines = [...new Set(schedules.map((s) => s.machineId).filter((r): r is string => !!r))];
    if (machines.length && (await count('SELECT id FROM machine WHERE business_id = ? AND branch_id = ? AND id IN (?)', [businessId, branchId, machines])) !== machines.length) {
      throw ApiError.notFound('Machine');
    }
  }

  private async withRetry<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        const deadlock = /ER_LOCK_DEADLOCK|ER_LOCK_WAIT_TIMEOUT/.test(String((err as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (err as { code?: string }).code));
        if (!deadlock || attempt >= 4 || !isTransientDbError(err)) throw err;
        await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
      }
    }
  }
}
