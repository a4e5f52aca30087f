import { isTransientDbError } from '@chairbook/platform';
import type { Logger } from 'pino';

/**
 * A database-driven work loop every copy runs: `pass` claims its own work (SKIP LOCKED), so
 * copies share it without coordination. Busy passes run back to back; idle ones sleep
 * `pollMs`; failures back off.
 */
export class PollLoop {
  private stopped = true;
  private running?: Promise<void>;
  private waker?: () => void;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<number>,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.run();
  }

  wake(): void {
    this.waker?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let done = 0;
      try {
        done = await this.pass();
        failures = 0;
      } catch (err) {
        failures++;
        if (failures === 1 || failures % 20 === 0) {
          (isTransientDbError(err) ? this.logger.warn.bind(this.logger) : this.logger.error.bind(this.logger))({ err, loop: this.name }, 'work loop pass failed; retrying');
        }
      }
      if (done > 0 || this.stopped) continue;
      const wait = failures ? Math.min(5_000, this.pollMs * 2 ** Math.min(failures, 5)) : this.pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.waker = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waker = undefined;
    }
  }
}
