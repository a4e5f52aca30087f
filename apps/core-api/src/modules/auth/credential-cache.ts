import { createHash } from 'node:crypto';
import type { Principal } from './principal';

/**
 * Remembers verified Basic credentials for a short time so the slow password hash is paid
 * once, not on every request. Keyed by a hash of the whole header (the password never sits in
 * memory in clear); entries for a user are dropped when that user's credentials change (locally
 * at once, on other copies through the credentials-changed broadcast).
 */
export class CredentialCache {
  private readonly entries = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  static keyOf(header: string): string {
    return createHash('sha256').update(header).digest('base64url');
  }

  get(key: string, now = Date.now()): Principal | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(key: string, principal: Principal, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries) {
      // Map keeps insertion order: evict the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { principal, expiresAt: now + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }

  forgetUser(userId: string): void {
    for (const [key, entry] of this.entries) if (entry.principal.userId === userId) this.entries.delete(key);
  }
}
