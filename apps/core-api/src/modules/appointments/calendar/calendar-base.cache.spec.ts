import { CalendarBaseCache } from './calendar-base.cache';

describe('CalendarBaseCache', () => {
  it('reads a key once, and shares a read in flight', async () => {
    const cache = new CalendarBaseCache<number>();
    let reads = 0;
    let release!: (n: number) => void;
    const read = () => {
      reads++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const first = cache.get('a', read);
    const second = cache.get('a', read);
    release(7);
    expect(await first).toBe(7);
    expect(await second).toBe(7);
    expect(await cache.get('a', read)).toBe(7);
    expect(reads).toBe(1);
  });

  it('does not keep a failed read: the next caller reads again', async () => {
    const cache = new CalendarBaseCache<number>();
    await expect(cache.get('a', () => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    expect(cache.size).toBe(0);
    expect(await cache.get('a', () => Promise.resolve(3))).toBe(3);
  });

  it('drops the least recently used entry when full', async () => {
    const cache = new CalendarBaseCache<string>(2);
    await cache.get('a', async () => 'a1');
    await cache.get('b', async () => 'b1');
    await cache.get('a', async () => 'a2'); // a hit: a is now the most recent
    await cache.get('c', async () => 'c1'); // evicts b
    expect(cache.size).toBe(2);
    expect(await cache.get('a', async () => 'a3')).toBe('a1');
    expect(await cache.get('b', async () => 'b2')).toBe('b2');
  });
});
