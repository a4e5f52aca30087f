import type { DataSource, EntityManager } from 'typeorm';

/** Deadlocks and lock-wait timeouts: the transaction did nothing and can run again. */
export function isRetryableLockError(err: unknown): boolean {
  const code = (err as { code?: string; driverError?: { code?: string } })?.driverError?.code ?? (err as { code?: string })?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
}

/** Runs `work` again (up to `attempts` times) when the database picked it as a deadlock victim. */
export async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !isRetryableLockError(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}

/**
 * A set-up change (staff, services, clients and what hangs off them) in one transaction.
 * READ COMMITTED: these replace child rows with DELETE + INSERT, and under REPEATABLE READ the
 * DELETE of a new parent's (absent) rows takes gap locks that deadlock with other businesses'
 * inserts into the same index gap. Uniqueness and versions are enforced by keys and
 * `WHERE version = ?`, which need no gap locks. A deadlock victim is run again.
 */
export function setupTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return retryOnDeadlock(() => dataSource.transaction('READ COMMITTED', work));
}
