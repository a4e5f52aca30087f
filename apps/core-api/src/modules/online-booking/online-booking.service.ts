import { DomainEvent } from '@chairbook/contracts';
import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainEvents } from '../../events/domain-events';
import { checkBooking, effectiveTiming } from '../../scheduling';
import { normalizePhone } from '../../shared/phone';
import { parseIsoInstant } from '../../shared/time';
import { AppointmentReader, effectiveActivation } from '../appointments/appointment.views';
import { canReschedule } from '../appointments/appointment-state';
import { BranchCalendarLoader } from '../appointments/calendar/branch-calendar.loader';
import { CreateBookingUseCase, refusal } from '../appointments/use-cases/create-booking.use-case';
import { lockRows } from '../appointments/use-cases/locking';
import { BranchesService } from '../branches/branches.service';
import { ClientsService } from '../clients/clients.service';
import type { OnlineClientDto } from './online-booking.controller';

/** Booking-site operations: returning customers are recognised, bookings move as a whole. */
@Injectable()
export class OnlineBookingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: ClientsService,
    private readonly branches: BranchesService,
    private readonly calendar: BranchCalendarLoader,
    private readonly reader: AppointmentReader,
    private readonly events: DomainEvents,
    private readonly bookings: CreateBookingUseCase,
  ) {}

  /**
   * A returning customer (same mobile, else same email) keeps one client record: consents
   * ticked now are switched on, never off (unticking a box online is not an opt-out), and a
   * missing email or mobile is filled in. Creation is serialised per business so two
   * simultaneous first bookings from one person cannot make two clients.
   */
  async matchOrCreateClient(businessId: string, dto: OnlineClientDto): Promise<{ clientId: string; matched: boolean }> {
    const [branch]: { country: string }[] = await this.dataSource.query('SELECT country FROM branch WHERE business_id = ? ORDER BY created_at, id LIMIT 1', [businessId]);
    const mobile = normalizePhone(dto.mobile, branch?.country);
    if (!mobile) throw ApiError.badRequest('INVALID_PHONE', 'That mobile number does not look right', [{ field: 'mobile', message: 'must be a valid mobile number' }]);
    const email = dto.email.trim().toLowerCase();
    const result = await this.dataSource.transaction(async (m) => {
      await m.query('SELECT id FROM business WHERE id = ? FOR UPDATE', [businessId]);
      const found: { id: string; mobile: string | null; email: string | null }[] = await m.query(
        `SELECT id, mobile, email FROM client WHERE business_id = ? AND archived = 0 AND (mobile = ? OR email = ?)
          ORDER BY mobile = ? DESC, updated_at DESC LIMIT 1`,
        [businessId, mobile, email, mobile],
      );
      if (found.length) {
        const c = found[0];
        const set: string[] = [];
        const params: unknown[] = [];
        if (dto.reminderConsent) set.push('sms_reminder_consent = 1', 'email_reminder_consent = 1');
        if (dto.marketingConsent) set.push('sms_marketing_consent = 1', 'email_marketing_consent = 1');
        if (!c.mobile) {
          set.push('mobile = ?');
          params.push(mobile);
        }
        if (!c.email) {
          set.push('email = ?');
          params.push(email);
        }
        if (set.length) await m.query(`UPDATE client SET ${set.join(', ')}, version = version + 1, updated_at = NOW(3) WHERE id = ?`, [...params, c.id]);
        return { clientId: c.id, matched: true };
      }
      const created = await this.clients.create(
        businessId,
        {
          firstName: dto.firstName,
          lastName: dto.lastName,
          mobile,
          email,
          smsReminderConsent: !!dto.reminderConsent,
          emailReminderConsent: !!dto.reminderConsent,
          smsMarketingConsent: !!dto.marketingConsent,
          emailMarketingConsent: !!dto.marketingConsent,
        },
        m,
      );
      return { clientId: created.clientId, matched: false };
    });
    this.events.flush();
    return result;
  }

  /**
   * Moves every appointment of a booking by the same amount so its first service starts at
   * `startTime`, checked by the same rules (and locks) as a new booking, the booking itself
   * not counted as busy. Online moves must also be inside the salon's cancellation window.
   */
  async reschedule(businessId: string, branchId: string, bookingId: string, startTime: string, options: { online: boolean }, now = Date.now()) {
    const branch = await this.branches.require(businessId, branchId);
    const target = parseIsoInstant(startTime, 'startTime');
    const rows = (await this.reader.byBooking(bookingId)).filter((r) => effectiveActivation(r) !== 'CANCELED');
    if (!rows.length || rows[0].business_id !== businessId || rows[0].branch_id !== branchId) throw ApiError.notFound('Booking');
    if (rows.some((r) => !canReschedule({ state: r.state, activation: effectiveActivation(r) }))) {
      throw ApiError.conflict('ILLEGAL_STATE_TRANSITION', 'This booking has begun and cannot be moved');
    }
    const first = rows[0].start_at.getTime();
    if (options.online) checkCancellationWindow(first, branch.cancellation_window_hours, now);
    const offset = target - first;
    const staffIds = [...new Set(rows.map((r) => r.staff_id))];
    const base = await this.calendar.base(branch, rows.map((r) => r.service_id), { start: target, end: target + 1 + (rows.at(-1)!.start_at.getTime() - first) }, staffIds);
    await this.dataSource.transaction('READ COMMITTED', async (m) => {
      await lockRows(m, { clientIds: [rows[0].client_id], staffIds, roomIds: base.roomIds, machineIds: base.machineIds });
      const load = await this.calendar.load(base, { now, clientId: rows[0].client_id, excludeBookingId: bookingId, manager: m });
      const result = checkBooking({
        branch: { timeZone: branch.time_zone, slotStepMinutes: branch.slot_step_minutes },
        services: base.services,
        staff: this.calendar.staffCalendars(base, load),
        rooms: load.rooms,
        machines: load.machines,
        online: options.online ? this.calendar.online(branch, now) : undefined,
        schedules: rows.map((r) => ({ serviceId: r.service_id, staffId: r.staff_id, start: r.start_at.getTime() + offset, clientId: r.client_id })),
        clients: load.client ? [load.client] : [],
      });
      if (!result.ok) throw refusal(result.code, 'startTime');
      const events: DomainEvent[] = [];
      for (const [i, resolved] of result.schedules.entries()) {
        const row = rows[i];
        const service = base.services.find((s) => s.id === resolved.serviceId)!;
        const timing = effectiveTiming(service, base.qualifications.get(resolved.staffId)?.[resolved.serviceId]);
        const gapStart = timing.gap ? resolved.start + timing.gap.startAfterMinutes * 60_000 : null;
        await m.query(
          `UPDATE appointment SET start_at = ?, end_at = ?, busy_end_at = ?, gap_start_at = ?, gap_end_at = ?, room_id = ?, machine_id = ?,
             version = version + 1, updated_at = NOW(3) WHERE id = ?`,
          [
            new Date(resolved.start),
            new Date(resolved.end),
            new Date(resolved.end + (timing.bufferAfterMinutes ?? 0) * 60_000),
            gapStart ? new Date(gapStart) : null,
            gapStart && timing.gap ? new Date(gapStart + timing.gap.durationMinutes * 60_000) : null,
            resolved.roomId ?? null,
            resolved.machineId ?? null,
            row.id,
          ],
        );
        const [after] = await this.reader.byIds([row.id], m);
        events.push(this.reader.event('appointment.rescheduled', after, { previousStartTime: row.start_at.toISOString(), previousEndTime: row.end_at.toISOString() }));
      }
      await this.events.record(m, ...events);
    });
    this.events.flush();
    return this.bookings.view(bookingId);
  }
}

/** Online changes close `hours` before the booking starts. */
export function checkCancellationWindow(start: number, hours: number, now: number): void {
  if (start - now < hours * 3_600_000) {
    throw ApiError.conflict('CANCELLATION_WINDOW_PASSED', `Online changes close ${hours} hours before the appointment; please call the salon`);
  }
}
