import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('hands out a second of tokens at once, then paces in arrival order', async () => {
    const limiter = new RateLimiter(20);
    for (let i = 0; i < 20; i++) expect(limiter.acquire()).toBeUndefined();
    const started = Date.now();
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) => (limiter.acquire() as Promise<void>).then(() => order.push(n)));
    // While some wait, a newcomer queues behind them even if a token came meanwhile.
    await new Promise((r) => setTimeout(r, 60));
    const late = limiter.acquire();
    expect(late).toBeInstanceOf(Promise);
    await Promise.all([...waits, (late as Promise<void>).then(() => order.push(4))]);
    expect(order).toEqual([1, 2, 3, 4]);
    // 4 tokens at 20 a second: ~200 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });
});
