import { LOGGER } from '@chairbook/platform';
import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

/**
 * The appointments of expired holds, found through their bookings (ix_booking_hold, then
 * ix_appointment_booking): appointment has no index on its hold expiry, and one there would cost
 * every booking an index write, so asking appointment directly read the whole table every 30 s
 * (the index is forced: on a small table the optimizer would rather scan it).
 * A hold's booking and appointments carry the same expiry (create-booking), so the appointments
 * go first and the booking after them.
 */
export const EXPIRED_HOLD_APPOINTMENTS = `UPDATE appointment a FORCE INDEX (ix_appointment_booking)
  JOIN (SELECT id FROM booking WHERE status = 'RESERVED' AND hold_expires_at <= NOW(3) ORDER BY hold_expires_at LIMIT 1000) b ON a.booking_id = b.id
   SET a.activation_state = 'CANCELED', a.canceled_at = a.hold_expires_at, a.updated_at = NOW(3)
 WHERE a.activation_state = 'RESERVED'`;

/** Expired holds with no appointment still RESERVED (a hold that expired in between waits for the next pass). */
export const EXPIRED_HOLD_BOOKINGS = `UPDATE booking b SET b.status = 'CANCELED', b.updated_at = NOW(3)
 WHERE b.status = 'RESERVED' AND b.hold_expires_at <= NOW(3)
   AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.booking_id = b.id AND a.activation_state = 'RESERVED')
 ORDER BY b.hold_expires_at LIMIT 1000`;

/**
 * Tidies state that has run out: expired RESERVED holds are marked CANCELED (reads already
 * treat them so; this keeps the table honest), and expired idempotency keys and screen
 * tickets are deleted. Every copy may run it: each statement is idempotent.
 */
@Injectable()
export class HoldJanitor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), 30_000);
    this.timer.unref();
  }

  // Before Nest's onApplicationShutdown hooks, where TypeORM closes the pool: the last
  // pass of a loop (and any in-flight handler) still has its database and broker.
  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    try {
      await this.dataSource.query(EXPIRED_HOLD_APPOINTMENTS);
      await this.dataSource.query(EXPIRED_HOLD_BOOKINGS);
      await this.dataSource.query('DELETE FROM idempotency_key WHERE expires_at <= NOW(3) LIMIT 1000');
      await this.dataSource.query('DELETE FROM screen_ticket WHERE expires_at <= NOW(3) LIMIT 1000');
    } catch (err) {
      this.logger.warn({ err }, 'janitor sweep failed; will retry');
    }
  }
}
