/**
 * A token bucket: at most `perSecond` acquisitions per second on average, bursts up to one
 * second's worth. Per process: with N copies the provider sees up to N times the rate, so
 * set the rate per copy accordingly.
 */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  acquire(): Promise<void> {
    const next = this.chain.then(() => this.take());
    this.chain = next;
    return next;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
    }
  }
}
