import type { DomainEvent } from '@chairbook/contracts';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { currentRequestId, REQUEST_ID_HEADER } from '../logging/request-context';
import { batchedTransaction, type Statement } from '../database/batched-transaction';
import { isTransientDbError } from '../database/mysql';
import { RabbitMqClient } from '../rabbitmq/rabbitmq-client';

/** Adds events to the outbox inside the caller's transaction. */
export async function appendToOutbox(manager: EntityManager, events: DomainEvent[]): Promise<void> {
  const insert = outboxInsert(events);
  if (insert) await manager.query(insert[0], insert[1]);
}

/**
 * The outbox INSERT for `events` as a statement and its parameters (undefined for none), for a
 * caller that sends it with the rest of its transaction in one round trip. One plain multi-row
 * INSERT, seq in the events' order (the entity insert read every row back).
 */
export function outboxInsert(events: DomainEvent[]): [sql: string, params: unknown[]] | undefined {
  if (!events.length) return undefined;
  const requestId = currentRequestId() ?? null;
  const now = new Date();
  return [
    'INSERT INTO outbox_event (event_id, type, payload, request_id, created_at, attempts, last_error) VALUES ?',
    [events.map((event) => [event.id, event.type, JSON.stringify(event), requestId, now, 0, null])],
  ];
}

export interface OutboxRelayOptions {
  batchSize?: number;
  pollIntervalMs?: number;
  /** The pause before the next pass when commits woke the relay during a pass (5 ms). */
  gatherMs?: number;
}

/**
 * Moves committed outbox rows to RabbitMQ. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so
 * any number of service copies can relay side by side without publishing a row twice; a row
 * is deleted only after the broker confirmed it (in the claiming transaction), so a crash or
 * broker outage delays events and never loses them (consumers drop the rare duplicate by event
 * id). The table therefore holds only events still to leave, and the claim reads it in primary
 * key order with no index of its own.
 *
 * Deleting on publish replaced marking rows published (and keeping them a week): the mark moved
 * each row's entry in a (published_at, seq) index that every insert also paid for, and the
 * week's rows had to be deleted later anyway. Alternated benchmark runs, one round each:
 * booking-create 0.53/0.51/0.49/0.57/0.50 (mark) against 0.52/0.65/0.52/0.71/0.60 (delete),
 * MariaDB's time per booking down ~14% (tests/perf/README.md). The record of what was published
 * is the broker's: tests bind a queue of their own to the events exchange.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private wakeRequested = false;
  private gathering = false;
  private consecutiveFailures = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly broker: RabbitMqClient,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions = {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Ask for an immediate pass (after a transaction that wrote events commits). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    // A gathering pause ends within milliseconds: its pass takes these events too.
    if (this.gathering) return;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /**
   * One pass: publish up to a batch; returns how many rows were published. Two round trips
   * where the pool batches statements (claim the rows; delete the published ones and commit),
   * see BatchedTransaction.
   */
  async relayOnce(): Promise<number> {
    if (!this.broker.isConnected()) return 0;
    const batchSize = this.options.batchSize ?? 200;
    return batchedTransaction(this.dataSource, async (tx) => {
      const [claimed] = await tx.run([
        'SELECT seq, event_id, type, payload, request_id FROM outbox_event ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED',
        [batchSize],
      ]);
      const rows = claimed as { seq: string; payload: string; type: string; event_id: string; request_id: string | null }[];
      if (!rows.length) {
        await tx.commit();
        return 0;
      }
      const results = await Promise.allSettled(
        rows.map((row) =>
          this.broker.publish(row.type, Buffer.from(row.payload), {
            messageId: row.event_id,
            type: row.type,
            headers: row.request_id ? { [REQUEST_ID_HEADER]: row.request_id } : {},
          }),
        ),
      );
      const published = rows.filter((_, i) => results[i].status === 'fulfilled').map((r) => r.seq);
      const failed = rows.filter((_, i) => results[i].status === 'rejected').map((r) => r.seq);
      const outcomes: Statement[] = [];
      if (published.length) outcomes.push(['DELETE FROM outbox_event WHERE seq IN (?)', [published]]);
      if (failed.length) {
        const reason = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
        outcomes.push(['UPDATE outbox_event SET attempts = attempts + 1, last_error = ? WHERE seq IN (?)', [String(reason?.message ?? reason).slice(0, 500), failed]]);
      }
      await tx.commit(...outcomes);
      return published.length;
    });
  }

  private schedule(delayMs: number, gathering = false): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.gathering = gathering;
    this.timer = setTimeout(() => {
      this.gathering = false;
      this.running = this.loop().finally(() => {
        this.running = undefined;
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private async loop(): Promise<void> {
    const idle = this.options.pollIntervalMs ?? 250;
    let next = idle;
    let gathering = false;
    try {
      this.wakeRequested = false;
      const count = await this.relayOnce();
      this.consecutiveFailures = 0;
      // A full batch means more may be waiting: go again at once. Commits that woke the relay
      // while it ran go out after a short gather, so that under load one pass carries the
      // events of many requests instead of each request paying a pass of its own.
      if (count >= (this.options.batchSize ?? 200)) next = 0;
      else if (this.wakeRequested) {
        next = this.options.gatherMs ?? 5;
        gathering = true;
      }
    } catch (err) {
      this.consecutiveFailures++;
      next = Math.min(5_000, idle * 2 ** Math.min(this.consecutiveFailures, 5));
      const log = isTransientDbError(err) ? this.logger.warn.bind(this.logger) : this.logger.error.bind(this.logger);
      if (this.consecutiveFailures === 1 || this.consecutiveFailures % 20 === 0) log({ err }, 'outbox relay pass failed; will retry');
    }
    this.schedule(next, gathering);
  }
}
