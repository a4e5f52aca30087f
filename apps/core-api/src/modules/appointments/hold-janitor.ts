import { LOGGER } from '@chairbook/platform';
import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

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
      await this.dataSource.query(
        "UPDATE appointment SET activation_state = 'CANCELED', canceled_at = hold_expires_at, updated_at = NOW(3) WHERE activation_state = 'RESERVED' AND hold_expires_at <= NOW(3) LIMIT 1000",
      );
      await this.dataSource.query("UPDATE booking SET status = 'CANCELED', updated_at = NOW(3) WHERE status = 'RESERVED' AND hold_expires_at <= NOW(3) LIMIT 1000");
      await this.dataSource.query('DELETE FROM idempotency_key WHERE expires_at <= NOW(3) LIMIT 1000');
      await this.dataSource.query('DELETE FROM screen_ticket WHERE expires_at <= NOW(3) LIMIT 1000');
    } catch (err) {
      this.logger.warn({ err }, 'janitor sweep failed; will retry');
    }
  }
}
