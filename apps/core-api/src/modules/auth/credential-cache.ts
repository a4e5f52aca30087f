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
  /** Verifications under way, by key: the requests that arrive meanwhile wait for the same one. */
  private readonly pending = new Map<string, Promise<Principal>>();
  /** Moves when credentials change: a verification begun before that is not remembered. */
  private generation = 0;

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

  /**
   * The principal for `key`: remembered, else verified by `verify` once however many requests
   * ask at the same time. Without this, every request in flight when an entry expires (an
   * integration keeps dozens open) ran the slow hash itself: 100 connections cost 100
   * verifications, seconds of CPU every TTL, and a burst of a new credential did the same. A
   * failed verification is shared with the requests that waited for it and not remembered.
   */
  verifyOnce(key: string, verify: () => Promise<Principal>): Promise<Principal> {
    const cached = this.get(key);
    if (cached) return Promise.resolve(cached);
    const running = this.pending.get(key);
    if (running) return running;
    const generation = this.generation;
    const verification = verify()
      .then((principal) => {
        if (generation === this.generation) this.set(key, principal);
        return principal;
      })
      .finally(() => {
        if (this.pending.get(key) === verification) this.pending.delete(key);
      });
    this.pending.set(key, verification);
    return verification;
  }

  clear(): void {
    this.entries.clear();
    this.forgetPending();
  }

  forgetUser(userId: string): void {
    for (const [key, entry] of this.entries) if (entry.principal.userId === userId) this.entries.delete(key);
    this.forgetPending();
  }

  /** Credentials changed: requests from now on verify afresh, and what is being verified now is not kept. */
  private forgetPending(): void {
    this.pending.clear();
    this.generation++;
  }
}
