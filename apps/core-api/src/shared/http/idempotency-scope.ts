import { AsyncLocalStorage } from 'node:async_hooks';
import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Statement } from '@chairbook/platform';

export const TTL_MS = 24 * 3_600_000;
/** A claim made outside a transaction, older than this with no answer, is from a crashed request: a retry may take over. */
export const ABANDONED_MS = 60_000;

export const IDEMPOTENT_IN_TRANSACTION = 'chairbook:idempotent-in-transaction';

/**
 * Marks a POST whose work claims its `Idempotency-Key` and stores its answer inside the work's
 * own transaction (`IdempotencyScope.claim` first, `IdempotencyScope.answer` last), so the key
 * and the work commit or roll back together: an answer lost on the way back is replayed, and
 * a request that did not commit leaves no claim behind.
 */
export const IdempotentInTransaction = () => SetMetadata(IDEMPOTENT_IN_TRANSACTION, true);

/** Another request with this key finished first (or holds a claim outside a transaction). */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('Idempotency-Key already used');
  }
}

export interface IdempotencyRequestScope {
  userId: string;
  key: string;
  hash: string;
  /** The status the answer is sent with. */
  status: number;
  /** Set once the answer was written in the work's transaction (meaningful only if it committed). */
  answered: boolean;
}

const storage = new AsyncLocalStorage<IdempotencyRequestScope>();

/**
 * The `Idempotency-Key` of the request being handled, joined to the work's transaction. Outside
 * a request marked `@IdempotentInTransaction()` with a key (seeding, other routes), both calls
 * do nothing.
 */
export const IdempotencyScope = {
  run<T>(scope: IdempotencyRequestScope, work: () => T): T {
    return storage.run(scope, work);
  },

  current(): IdempotencyRequestScope | undefined {
    return storage.getStore();
  },

  /**
   * The first statement of the work's transaction, before any other lock: inserts the key's row.
   * A concurrent request with the same key waits here on the row until the first commits (then
   * `IdempotencyKeyTaken`: the caller replays its answer) or rolls back (then this one claims it).
   */
  async claim(m: EntityManager): Promise<void> {
    const insert = this.claimStatements()[0];
    if (!insert) return;
    await this.claimed(m, await m.query(insert[0], insert[1] as unknown[]));
  },

  /**
   * `claim` for a transaction sent in batches: its first statement (none without a key), sent
   * first in the first batch; then `claimed` with that statement's result.
   */
  claimStatements(): Statement[] {
    const scope = storage.getStore();
    if (!scope) return [];
    scope.answered = false;
    const now = Date.now();
    return [
      ['INSERT IGNORE INTO idempotency_key (user_id, idem_key, request_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [scope.userId, scope.key, scope.hash, new Date(now), new Date(now + TTL_MS)]],
    ];
  },

  /** The rest of a claim, given the claim statement's result: takes over an expired or abandoned key, or throws `IdempotencyKeyTaken`. */
  async claimed(m: EntityManager, inserted: unknown): Promise<void> {
    const scope = storage.getStore();
    if (!scope || (inserted as { affectedRows: number }).affectedRows) return;
    const now = Date.now();
    // An expired key (not yet swept), or a claim abandoned by a request made outside a transaction.
    const reclaimed: { affectedRows: number } = await m.query(
      `UPDATE idempotency_key SET request_hash = ?, status_code = NULL, response_body = NULL, created_at = ?, expires_at = ?
        WHERE user_id = ? AND idem_key = ? AND (expires_at <= ? OR (request_hash = ? AND status_code IS NULL AND created_at < ?))`,
      [scope.hash, new Date(now), new Date(now + TTL_MS), scope.userId, scope.key, new Date(now), scope.hash, new Date(now - ABANDONED_MS)],
    );
    if (!reclaimed.affectedRows) throw new IdempotencyKeyTaken();
  },

  /** The last statement of the work's transaction: the answer a retry with the key gets back. */
  async answer(m: EntityManager, body: unknown): Promise<void> {
    const update = this.answerStatements(body)[0];
    if (!update) return;
    await m.query(update[0], update[1] as unknown[]);
    this.answered();
  },

  /** `answer` for a transaction sent in batches: the statement (none without a key), then `answered()` once it ran. */
  answerStatements(body: unknown): Statement[] {
    const scope = storage.getStore();
    if (!scope) return [];
    return [['UPDATE idempotency_key SET status_code = ?, response_body = ? WHERE user_id = ? AND idem_key = ?', [scope.status, JSON.stringify(body ?? null), scope.userId, scope.key]]];
  },

  answered(): void {
    const scope = storage.getStore();
    if (scope) scope.answered = true;
  },
};
