/**
 * Calendar bases (services, qualifications, rota) kept in memory, keyed by everything they were
 * read for, the business's calendar version included (see the calendar_version migration): a
 * set-up change anywhere moves the version, so the next request reads afresh and the old
 * entries age out unused. Bookings for a day mostly reuse one stylist's base, which saves the
 * booking path five queries and the rota's time-zone arithmetic.
 *
 * Readers for the same key share one read in flight; a failed read is not kept. The oldest
 * entry goes when the cache is full (a Map iterates in insertion order; a hit re-inserts).
 */
export class CalendarBaseCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly maxEntries = 2_000) {}

  get(key: string, read: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = read();
    this.entries.set(key, pending);
    pending.catch(() => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }
}
