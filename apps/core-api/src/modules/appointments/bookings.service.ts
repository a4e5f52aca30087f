import { DomainEvent } from '@chairbook/contracts';
import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainEvents } from '../../events/domain-events';
import { withEtagState } from '../../shared/http/etag.interceptor';
import { IdempotencyScope } from '../../shared/http/idempotency-scope';
import { AppointmentReader, effectiveActivation } from './appointment.views';
import { transition } from './appointment-state';
import { CreateBookingUseCase } from './use-cases/create-booking.use-case';

interface BookingRow {
  id: string;
  business_id: string;
  branch_id: string;
  status: 'ACTIVE' | 'RESERVED' | 'CANCELED';
  hold_expires_at: Date | null;
  version: number;
  updated_at: Date;
}

/** A booking after it exists: read it, activate a hold, cancel it, add a note. */
@Injectable()
export class BookingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: AppointmentReader,
    private readonly events: DomainEvents,
    private readonly create: CreateBookingUseCase,
  ) {}

  /**
   * The booking, marked for its ETag: the booking row's version, update time and status, and
   * everything its answer shows (appointments change without the booking row, and a hold
   * lapses without any write), so the ETag changes whenever the answer would.
   */
  async get(businessId: string, branchId: string, bookingId: string) {
    const row = await this.row(businessId, branchId, bookingId);
    const view = await this.create.view(bookingId);
    return withEtagState(view, `${row.version}|${row.updated_at.toISOString()}|${row.status}|${JSON.stringify(view)}`);
  }

  /** A RESERVED hold becomes a firm booking, unless it already expired (409 HOLD_EXPIRED). */
  async activate(businessId: string, branchId: string, bookingId: string, now = Date.now()) {
    const answer = await this.answered(async (m) => {
      const [booking]: BookingRow[] = await m.query('SELECT * FROM booking WHERE id = ? AND business_id = ? AND branch_id = ? FOR UPDATE', [bookingId, businessId, branchId]);
      if (!booking) throw ApiError.notFound('Booking');
      if (booking.status === 'ACTIVE') return bookingId;
      if (booking.status === 'CANCELED' || (booking.hold_expires_at && booking.hold_expires_at.getTime() <= now)) {
        throw ApiError.conflict('HOLD_EXPIRED', 'The hold expired or was cancelled; look for a new time');
      }
      await m.query("UPDATE booking SET status = 'ACTIVE', hold_expires_at = NULL, version = version + 1, updated_at = NOW(3) WHERE id = ?", [bookingId]);
      await m.query(
        "UPDATE appointment SET activation_state = 'ACTIVE', hold_expires_at = NULL, version = version + 1, updated_at = NOW(3) WHERE booking_id = ? AND activation_state = 'RESERVED'",
        [bookingId],
      );
      const rows = await this.reader.byBooking(bookingId, m);
      await this.events.record(m, this.reader.bookingEvent('booking.confirmed', rows, bookingId));
      return bookingId;
    });
    this.events.flush();
    return answer;
  }

  /** Cancels every appointment of the booking that has not begun; announces it once if it was firm. */
  async cancel(businessId: string, branchId: string, bookingId: string, options: { online?: boolean; cancellationWindowHours?: number } = {}) {
    const answer = await this.answered(async (m) => {
      const [booking]: BookingRow[] = await m.query('SELECT * FROM booking WHERE id = ? AND business_id = ? AND branch_id = ? FOR UPDATE', [bookingId, businessId, branchId]);
      if (!booking) throw ApiError.notFound('Booking');
      if (booking.status === 'CANCELED') return bookingId;
      const rows = await this.reader.byBooking(bookingId, m);
      if (options.online && booking.status === 'ACTIVE' && rows.length && rows[0].start_at.getTime() - Date.now() < (options.cancellationWindowHours ?? 0) * 3_600_000) {
        throw ApiError.conflict('CANCELLATION_WINDOW_PASSED', `Online cancellations close ${options.cancellationWindowHours} hours before the appointment; please call the salon`);
      }
      const cancellable = rows.filter((r) => transition({ state: r.state, activation: effectiveActivation(r) }, 'cancel').ok);
      if (!cancellable.length && rows.some((r) => effectiveActivation(r) !== 'CANCELED')) {
        throw ApiError.conflict('ILLEGAL_STATE_TRANSITION', 'The appointments of this booking have already begun or finished');
      }
      await m.query("UPDATE booking SET status = 'CANCELED', version = version + 1, updated_at = NOW(3) WHERE id = ?", [bookingId]);
      if (cancellable.length) {
        await m.query("UPDATE appointment SET activation_state = 'CANCELED', canceled_at = NOW(3), version = version + 1, updated_at = NOW(3) WHERE id IN (?)", [cancellable.map((r) => r.id)]);
      }
      const after = await this.reader.byIds(cancellable.map((r) => r.id), m);
      const events: DomainEvent[] = after.map((r) => this.reader.event('appointment.cancelled', r));
      if (booking.status === 'ACTIVE' && after.length) events.push(this.reader.bookingEvent('booking.cancelled', after, bookingId));
      await this.events.record(m, ...events);
      return bookingId;
    });
    this.events.flush();
    return answer;
  }

  async note(businessId: string, branchId: string, bookingId: string, note: string) {
    const result: { affectedRows: number } = await this.dataSource.query(
      "UPDATE booking SET note = TRIM(CONCAT(COALESCE(note, ''), IF(note IS NULL OR note = '', '', '\\n'), ?)), version = version + 1, updated_at = NOW(3) WHERE id = ? AND business_id = ? AND branch_id = ?",
      [note, bookingId, businessId, branchId],
    );
    if (!result.affectedRows) throw ApiError.notFound('Booking');
    return this.create.view(bookingId);
  }

  /**
   * Runs a change of a booking in a transaction that also claims the request's Idempotency-Key
   * (first) and stores the answer, the booking as it now is (last).
   */
  private answered(work: (m: EntityManager) => Promise<string>) {
    return this.dataSource.transaction(async (m) => {
      await IdempotencyScope.claim(m);
      const view = await this.create.view(await work(m), undefined, m);
      await IdempotencyScope.answer(m, view);
      return view;
    });
  }

  private async row(businessId: string, branchId: string, bookingId: string): Promise<BookingRow> {
    const [row]: BookingRow[] = await this.dataSource.query('SELECT * FROM booking WHERE id = ? AND business_id = ? AND branch_id = ?', [bookingId, businessId, branchId]);
    if (!row) throw ApiError.notFound('Booking');
    return row;
  }
}
