import { DomainEvent } from '@chairbook/contracts';
import { ApiError, batchedTransaction, isTransientDbError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { checkBooking, effectiveTiming, RefusalCode, ScheduleRequest } from '../../../scheduling';
import { DomainEvents } from '../../../events/domain-events';
import { IdempotencyScope } from '../../../shared/http/idempotency-scope';
import { newId } from '../../../shared/ids';
import { toMajor, toMinor } from '../../../shared/money';
import { parseIsoInstant } from '../../../shared/time';
import type { Principal } from '../../auth/principal';
import { BranchRowCache } from '../../branches/branch-row.cache';
import { BranchesService } from '../../branches/branches.service';
import { BranchRow } from '../../branches/branch.view';
import { AppointmentReader, AppointmentRow } from '../appointment.views';
import { BranchCalendarLoader, CalendarBase } from '../calendar/branch-calendar.loader';
import { CreateBookingDto } from '../dto/booking.dto';
import { lockStatements } from './locking';

/** Attempts at a booking whose branch's calendar version moved under it (the last one trusts a fresh read). */
const MAX_CALENDAR_ATTEMPTS = 3;

const sameCalendarVersion = (a: string | number | null | undefined, b: string | number | null | undefined) => String(a ?? 0) === String(b ?? 0);

/** The branch row the booking started from is older than the database's calendar (see execute). */
class CalendarChangedError extends Error {
  constructor() {
    super('the business calendar changed since the branch was read');
  }
}

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

interface BookingFields {
  status: string;
  hold_expires_at: Date | null;
  client_id: string;
  note: string | null;
  source: string;
}

/** The booking as the API shows it, its appointments (in start order) grouped by client. */
function bookingView(bookingId: string, booking: BookingFields, rows: AppointmentRow[]) {
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

/**
 * Books one or more services for one or more clients, all or nothing. No double booking,
 * whatever the timing and however many copies of the service run: inside one READ COMMITTED
 * transaction the client, staff, room and machine rows involved are locked in a fixed order
 * (so two bookings that could clash queue behind each other and the second sees the first),
 * then the same rules as availability decide, then the appointments and their events are
 * written. A deadlock or lock timeout retries the whole transaction. The rows just written,
 * the events and the answer are built from what the transaction knows (nothing is read back).
 */
@Injectable()
export class CreateBookingUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
    private readonly branchRows: BranchRowCache,
    private readonly calendar: BranchCalendarLoader,
    private readonly reader: AppointmentReader,
    private readonly events: DomainEvents,
  ) {}

  /**
   * `loadedBranch`: the branch row TenancyGuard found for this request (else it is read here),
   * perhaps from memory (BranchRowCache): the transaction compares its calendar version with
   * the database's, and when they differ (the branch, its staff, services or rota changed since)
   * the booking starts again with the branch read afresh, so the rules never judge by a stale
   * rota. The last attempt takes the row it reads as it is, as a read before the transaction would.
   */
  async execute(principal: Principal, businessId: string, branchId: string, dto: CreateBookingDto, now = Date.now(), loadedBranch?: BranchRow) {
    let branch = loadedBranch && loadedBranch.id === branchId && loadedBranch.business_id === businessId ? loadedBranch : await this.requireBranch(businessId, branchId);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.book(principal, businessId, branch, dto, now, attempt < MAX_CALENDAR_ATTEMPTS);
      } catch (err) {
        if (!(err instanceof CalendarChangedError)) throw err;
        this.branchRows.forget(branchId);
        branch = await this.requireBranch(businessId, branchId);
      }
    }
  }

  private async requireBranch(businessId: string, branchId: string): Promise<BranchRow> {
    const row = await this.branches.require(businessId, branchId);
    this.branchRows.remember(row);
    return row;
  }

  private async book(principal: Principal, businessId: string, branch: BranchRow, dto: CreateBookingDto, now: number, checkCalendarVersion: boolean) {
    const branchId = branch.id;
    const online = principal.role === 'SERVICE';
    const schedules: FlatSchedule[] = dto.clientAppointmentSchedules.flatMap((c, ci) => {
      const clientId = c.clientId ?? dto.clientId;
      if (!clientId) throw ApiError.badRequest('VALIDATION_FAILED', 'Each client schedule needs a clientId (or give the booking’s clientId)', [{ field: `clientAppointmentSchedules[${ci}].clientId`, message: 'required' }]);
      return c.serviceSchedules.map((s, si) => {
        const field = `clientAppointmentSchedules[${ci}].serviceSchedules[${si}]`;
        let priceMinor: number | undefined;
        if (s.price !== undefined) {
          if (online) throw ApiError.badRequest('VALIDATION_FAILED', 'Online bookings cannot set prices', [{ field: `${field}.price`, message: 'not allowed online' }]);
          priceMinor = toMinor(s.price, branch.currency);
          if (priceMinor === undefined) throw ApiError.badRequest('VALIDATION_FAILED', `price has more decimals than ${branch.currency} allows`, [{ field: `${field}.price`, message: 'too many decimals' }]);
        }
        return {
          clientId,
          serviceId: s.serviceId,
          staffId: s.staffId,
          start: parseIsoInstant(s.startTime, `${field}.startTime`),
          roomId: s.roomId ?? undefined,
          machineId: s.machineId ?? undefined,
          priceMinor,
          staffRequest: !!s.staffRequest,
          field,
        };
      });
    });
    const clientIds = [...new Set([dto.clientId, ...schedules.map((s) => s.clientId)].filter((c): c is string => !!c))];
    const staffIds = [...new Set(schedules.map((s) => s.staffId))];
    const starts = { start: Math.min(...schedules.map((s) => s.start)), end: Math.max(...schedules.map((s) => s.start)) };
    // The calendar base (usually from memory, a week per read: the load below reads only around
    // these starts) answers for the services (404 when one is not the branch's), staff, rooms and
    // machines; clients are checked as they are locked.
    const base = await this.calendar.base(branch, schedules.map((s) => s.serviceId), { start: starts.start, end: starts.end + 1 }, staffIds, 'week');
    this.checkReferences(base, schedules);
    const status = dto.bookingStatus ?? 'ACTIVE';
    const bookingId = newId();
    const holdExpiresAt = status === 'RESERVED' ? new Date(now + branch.hold_minutes * 60_000) : null;

    // Two round trips: (begin, the Idempotency-Key's claim, the row locks in their order, the
    // calendar load) and, once the rules agreed, (the rows, the events, the key's answer, COMMIT).
    const answer = await this.withRetry(() =>
      batchedTransaction(this.dataSource, async (tx) => {
        const claim = IdempotencyScope.claimStatements();
        const lock = lockStatements({ clientIds, staffIds, roomIds: base.roomIds, machineIds: base.machineIds }, { clientContact: true, businessId, calendarVersionOf: businessId });
        const loadQueries = clientIds.map((clientId) => this.calendar.loadQuery(base, { now, clientId, starts }));
        const results = await tx.run(...claim, ...lock.statements, ...loadQueries.flatMap((q) => q.statements));
        // A duplicate request waited on the key's row; it finds the key taken (and replays its answer).
        if (claim.length) await IdempotencyScope.claimed(tx.manager, results[0]);
        let next = claim.length;
        const take = (count: number) => results.slice(next, (next += count));
        const locked = take(lock.statements.length);
        // Read by the staff lock (every schedule names a stylist, so there is always one).
        if (checkCalendarVersion && !sameCalendarVersion(lock.calendarVersion(locked), branch.calendar_version)) throw new CalendarChangedError();
        const contacts = lock.parse(locked);
        if (contacts.size !== clientIds.length) throw ApiError.notFound('Client');
        const loads = loadQueries.map((q) => q.parse(take(q.statements.length)));
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
        const source = online ? 'ONLINE' : 'API';
        const booking: BookingFields = { status, hold_expires_at: holdExpiresAt, client_id: dto.clientId ?? schedules[0].clientId, note: dto.note ?? null, source };
        // The rows as the database now holds them (column defaults included), with the names and
        // contact details their events carry: nothing is read back.
        const rows: AppointmentRow[] = [];
        for (const [i, resolved] of result.schedules.entries()) {
          const request = schedules[i];
          const service = base.serviceRows.get(resolved.serviceId);
          const rule = base.services.find((s) => s.id === resolved.serviceId);
          const staff = base.staff.find((s) => s.id === resolved.staffId);
          if (!service || !rule || !staff) throw new Error('the rules resolved a service or stylist outside the calendar base');
          const client = contacts.get(request.clientId);
          if (!client) throw ApiError.notFound('Client');
          const timing = effectiveTiming(rule, base.qualifications.get(resolved.staffId)?.[resolved.serviceId]);
          const gapStart = timing.gap ? resolved.start + timing.gap.startAfterMinutes * 60_000 : null;
          const gapEnd = timing.gap ? gapStart! + timing.gap.durationMinutes * 60_000 : null;
          const busyEnd = resolved.end + (timing.bufferAfterMinutes ?? 0) * 60_000;
          rows.push({
            id: newId(),
            business_id: businessId,
            branch_id: branchId,
            booking_id: bookingId,
            client_id: request.clientId,
            staff_id: resolved.staffId,
            service_id: resolved.serviceId,
            room_id: resolved.roomId ?? null,
            machine_id: resolved.machineId ?? null,
            start_at: new Date(resolved.start),
            end_at: new Date(resolved.end),
            busy_end_at: new Date(busyEnd),
            gap_start_at: gapStart ? new Date(gapStart) : null,
            gap_end_at: gapEnd ? new Date(gapEnd) : null,
            state: 'BOOKED',
            activation_state: status,
            hold_expires_at: holdExpiresAt,
            confirmed: 0,
            staff_request: request.staffRequest ? 1 : 0,
            price_minor: request.priceMinor ?? staff.prices[resolved.serviceId] ?? service.price_minor,
            source,
            notes: null,
            canceled_at: null,
            version: 1,
            created_at: ts,
            updated_at: ts,
            service_name: service.name,
            staff_first_name: staff.firstName,
            staff_last_name: staff.lastName,
            client_first_name: client.first_name,
            client_last_name: client.last_name,
            client_mobile: client.mobile,
            client_email: client.email,
            client_sms_reminder_consent: client.sms_reminder_consent,
            client_email_reminder_consent: client.email_reminder_consent,
            time_zone: branch.time_zone,
            currency: branch.currency,
          });
        }
        // The order the reader returns them in (start, then id; ids compare as ascii_bin).
        rows.sort((a, b) => a.start_at.getTime() - b.start_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        const events: DomainEvent[] = rows.map((r) => this.reader.event('appointment.booked', r));
        if (status === 'ACTIVE') events.push(this.reader.bookingEvent('booking.confirmed', rows, bookingId));
        const view = bookingView(bookingId, booking, rows);
        await tx.commit(
          [
            'INSERT INTO booking (id, business_id, branch_id, client_id, status, hold_expires_at, source, note, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [bookingId, businessId, branchId, booking.client_id, status, holdExpiresAt, source, booking.note, principal.userId, ts, ts],
          ],
          [
            `INSERT INTO appointment (id, business_id, branch_id, booking_id, client_id, staff_id, service_id, room_id, machine_id, start_at, end_at,
               busy_end_at, gap_start_at, gap_end_at, state, activation_state, hold_expires_at, staff_request, price_minor, source, created_at, updated_at) VALUES ?`,
            [
              rows.map((r) => [
                r.id, r.business_id, r.branch_id, r.booking_id, r.client_id, r.staff_id, r.service_id, r.room_id, r.machine_id, r.start_at, r.end_at,
                r.busy_end_at, r.gap_start_at, r.gap_end_at, r.state, r.activation_state, r.hold_expires_at, r.staff_request, r.price_minor, r.source, r.created_at, r.updated_at,
              ]),
            ],
          ],
          ...this.events.statement(...events),
          // The answer commits with the booking: a retry whose first answer was lost gets it back.
          ...IdempotencyScope.answerStatements(view),
        );
        IdempotencyScope.answered();
        return view;
      }),
    );
    this.events.flush();
    return answer;
  }

  async view(bookingId: string, appointmentIds?: string[], manager?: EntityManager) {
    const rows = appointmentIds ? await this.reader.byIds(appointmentIds, manager) : await this.reader.byBooking(bookingId, manager);
    const [booking]: BookingFields[] = await (manager ?? this.dataSource.manager).query('SELECT status, hold_expires_at, client_id, note, source FROM booking WHERE id = ?', [bookingId]);
    return bookingView(bookingId, booking, rows);
  }

  /**
   * Every staff member, room and machine in the body is one of the branch's (staff not archived),
   * as the calendar base lists them; services were checked when the base was read. 404 otherwise.
   */
  private checkReferences(base: CalendarBase, schedules: FlatSchedule[]): void {
    if (schedules.some((s) => !base.branchStaffIds.has(s.staffId))) throw ApiError.notFound('Staff member');
    if (schedules.some((s) => s.roomId && !base.branchRoomIds.has(s.roomId))) throw ApiError.notFound('Room');
    if (schedules.some((s) => s.machineId && !base.branchMachineIds.has(s.machineId))) throw ApiError.notFound('Machine');
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
