/**
 * A token bucket: at most `perSecond` acquisitions per second on average, bursts up to one
 * second's worth. Per process: with N copies the provider sees up to N times the rate, so
 * set the rate per copy accordingly.
 */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  private chain: Promise<void> = Promise.resolve();
  /** Acquisitions waiting in `chain`: while any wait, newcomers queue behind them (FIFO). */
  private waiting = 0;

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  /**
   * Takes a token: undefined when one was there (no promise, no tick: the common case below
   * the rate), otherwise a promise that resolves once it is this caller's turn and a token came.
   */
  acquire(): Promise<void> | undefined {
    if (this.waiting === 0) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return undefined;
      }
    }
    this.waiting++;
    const next = this.chain.then(() => this.take()).finally(() => this.waiting--);
    this.chain = next;
    return next;
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  private async take(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
    }
  }
}
