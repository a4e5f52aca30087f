import { DomainEvent, EventType } from '@chairbook/contracts';
import {
  consumedEvents,
  EventHandlers,
  handleOnce,
  HandlerOutcome,
  isTransientDbError,
  QueueSpec,
  RabbitMqClient,
  parseReceivedEvent,
  ReceivedMessage,
  REQUEST_ID_HEADER,
  requestIdFrom,
  runWithRequestContext,
} from '@chairbook/platform';
import type { Logger } from 'pino';
import { Histogram, register } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import { sqlTime } from '../database/sql-literal';

/**
 * Handlers that take a run of events of one type at once (bulk SQL). `keys` names what an
 * event touches (booking, client): a run never holds two events with a key in common, so
 * handling the run at once is the same as handling its events one after the other.
 */
export type BulkHandlers = {
  [T in EventType]?: { handle: (events: DomainEvent<T>[], m: EntityManager, batch: BatchScope) => Promise<void>; keys: (event: DomainEvent<T>) => string[] };
};

/** What a bulk handler may do beyond its transaction. */
export interface BatchScope {
  /** Whether the handler may take its fast path (off when the batch is redone after a FastPathConflict). */
  fastPath: boolean;
  /** Work to run once the batch committed and was acked (awaited before the batch's slot frees, so it paces the consumer). */
  afterCommit(work: () => Promise<void>): void;
}

/** Thrown by a bulk handler whose fast path does not apply to this batch: the batch is rolled back and redone without it. */
export class FastPathConflict extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'FastPathConflict';
  }
}

interface Pending {
  event: DomainEvent;
  requestId: string;
  deliveryCount: number;
  resolve: (outcome: HandlerOutcome) => void;
}

// The same series as the platform's per-event consumer, so dashboards and alarms see one metric.

const batchSizes = (() => {
  const existing = register.getSingleMetric('messaging_event_batch_size');
  return (existing as Histogram | undefined) ?? new Histogram({ name: 'messaging_event_batch_size', help: 'Events handled per consumer transaction', buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500] });
})();

const batchSeconds = (() => {
  const existing = register.getSingleMetric('messaging_event_batch_seconds');
  return (existing as Histogram | undefined) ?? new Histogram({ name: 'messaging_event_batch_seconds', help: 'Time to handle and commit one batch of events', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
})();

/** How long a batch waits to fill up while another is running. */
const LINGER_MS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The core-events consumer, effect-once like the platform's per-event one, but handling the
 * events that arrive together in one transaction:
 * - a message that breaks its contract is dead-lettered at once;
 * - a batch (what arrived while the previous one was being handled, up to `maxBatch`) commits
 *   its inbox rows and all its handlers' work in one transaction, and every message of the
 *   batch is acked only after that commit; the same id twice in a batch counts once, and an id
 *   already in the inbox (a redelivery) fails the inbox insert, after which the batch is redone
 *   looking the inbox up first, skipping what was handled before;
 * - while the database is briefly away the batch is held unacked and retried with backoff;
 * - any other failure (a handler bug, a poison event, an inbox row a concurrent copy just
 *   wrote) rolls the batch back and replays its events one by one, each in its own inbox
 *   transaction exactly as the platform consumer does, so only the failing event is requeued
 *   (and dead-lettered after the queue's delivery limit) while the others go through.
 * Per event that is a handful of statements per batch instead of ~15 round trips per event.
 */
export class BatchingEventConsumer {
  private readonly pending: Pending[] = [];
  private running = 0;
  private scheduled = false;
  private lingering?: NodeJS.Timeout;

  constructor(
    private readonly options: {
      client: RabbitMqClient;
      dataSource: DataSource;
      /** Inbox consumer name (dedupe scope). */
      consumer: string;
      spec: QueueSpec;
      handlers: EventHandlers;
      bulk: BulkHandlers;
      logger: Logger;
      maxBatch: number;
      concurrency: number;
      isStopping: () => boolean;
      /** After each commit that handled new events (e.g. wake the dispatcher). */
      afterCommit?: () => void;
    },
  ) {}

  async start(): Promise<void> {
    await this.options.client.consume(this.options.spec, (message) => this.receive(message));
  }

  private receive(message: ReceivedMessage): Promise<HandlerOutcome> {
    const { spec, logger } = this.options;
    const event = parseReceivedEvent(message, spec, logger);
    if (!event) return Promise.resolve('dead-letter');
    return new Promise<HandlerOutcome>((resolve) => {
      this.pending.push({ event, requestId: requestIdFrom(message.headers[REQUEST_ID_HEADER]), deliveryCount: message.deliveryCount, resolve });
      // Deliveries parsed from one socket read arrive in one tick: let them join one batch.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /**
   * Starts batches while there is room. With one already running (under load), a short-of-full
   * batch waits up to LINGER_MS for more deliveries: a few bigger transactions beat many small
   * ones. Idle, the first event starts at once.
   */
  private pump(force = false): void {
    while (this.running < this.options.concurrency && this.pending.length) {
      if (!force && this.running > 0 && this.pending.length < this.options.maxBatch) {
        this.lingering ??= setTimeout(() => {
          this.lingering = undefined;
          this.pump(true);
        }, LINGER_MS);
        return;
      }
      force = false;
      const batch = this.pending.splice(0, this.options.maxBatch);
      this.running++;
      void this.process(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async process(batch: Pending[]): Promise<void> {
    const { dataSource, logger, spec } = this.options;
    let careful = false;
    let fastPath = true;
    for (let attempt = 0; ; attempt++) {
      try {
        const timer = batchSeconds.startTimer();
        const after: (() => Promise<void>)[] = [];
        const scope: BatchScope = { fastPath, afterCommit: (work) => after.push(work) };
        // READ COMMITTED: no gap locks, so concurrent batches inserting neighbouring rows (new
        // reminders, messages) do not deadlock; unique keys still make every insert once-only.
        const fresh = await dataSource.transaction('READ COMMITTED', (m) => this.handleBatch(m, batch, careful, scope));
        timer();
        batchSizes.observe(batch.length);
        for (const item of batch) {
          consumedEvents.inc({ queue: spec.queue, type: item.event.type, outcome: fresh.has(item) ? 'processed' : 'duplicate' });
          item.resolve('ack');
        }
        if (fresh.size) this.options.afterCommit?.();
        for (const work of after) await work().catch((err: unknown) => logger.error({ err }, 'after-commit work of an event batch failed'));
        return;
      } catch (err) {
        if (fastPath && err instanceof FastPathConflict) {
          logger.debug({ reason: err.message, events: batch.length }, 'event batch redone without its fast path');
          fastPath = false;
          continue;
        }
        if (!careful && isDuplicateKey(err)) {
          // A redelivery of an event already handled: look the inbox up first this time.
          careful = true;
          continue;
        }
        if (isTransientDbError(err) && !this.options.isStopping()) {
          if (attempt === 0 || attempt % 20 === 0) logger.warn({ err, events: batch.length }, 'database unavailable (or a deadlock); holding the batch and retrying');
          await sleep(Math.min(5_000, 50 * 2 ** Math.min(attempt, 7)));
          continue;
        }
        if (batch.length > 1) logger.warn({ err, events: batch.length }, 'event batch failed; handling its events one by one');
        break;
      }
    }
    for (const item of batch) await this.processOne(item);
  }

  /** The inbox for the whole batch, then the handlers in delivery order (runs of bulk-handled events at once). Returns the events handled now. */
  private async handleBatch(m: EntityManager, batch: Pending[], careful: boolean, scope: BatchScope): Promise<Set<Pending>> {
    const { consumer, handlers, bulk } = this.options;
    const byId = new Map<string, Pending>();
    for (const item of batch) if (!byId.has(item.event.id)) byId.set(item.event.id, item);
    if (careful) {
      const known: { event_id: string }[] = await m.query('SELECT event_id FROM inbox_event WHERE consumer = ? AND event_id IN (?)', [consumer, [...byId.keys()]]);
      for (const { event_id } of known) byId.delete(event_id);
    }
    const fresh = [...byId.values()];
    if (!fresh.length) return new Set();
    // A plain INSERT: an event already in the inbox (a redelivery, or another copy handling it
    // right now) fails the batch with a duplicate key, and nothing of it is applied.
    const now = sqlTime(new Date());
    await m.query('INSERT INTO inbox_event (consumer, event_id, type, received_at) VALUES ?', [fresh.map((p) => [consumer, p.event.id, p.event.type, now])]);
    let run: DomainEvent[] = [];
    let runType: EventType | undefined;
    const runKeys = new Set<string>();
    const flush = async () => {
      if (run.length && runType) await (bulk[runType]!.handle as (events: DomainEvent[], m: EntityManager, batch: BatchScope) => Promise<void>)(run, m, scope);
      run = [];
      runType = undefined;
      runKeys.clear();
    };
    for (const { event, requestId } of fresh) {
      const many = bulk[event.type] as { keys: (e: DomainEvent) => string[] } | undefined;
      if (many) {
        const keys = many.keys(event);
        if (runType !== event.type || keys.some((k) => runKeys.has(k))) await flush();
        runType = event.type;
        run.push(event);
        for (const k of keys) runKeys.add(k);
        continue;
      }
      await flush();
      const handler = handlers[event.type] as ((e: DomainEvent, m: EntityManager) => Promise<void>) | undefined;
      if (handler) await runWithRequestContext({ requestId }, () => handler(event, m));
    }
    await flush();
    return new Set(fresh);
  }

  /** One event in its own inbox transaction: the platform consumer's rules. */
  private async processOne(item: Pending): Promise<void> {
    const { dataSource, consumer, handlers, logger, spec } = this.options;
    const handler = handlers[item.event.type] as ((e: DomainEvent, m: EntityManager) => Promise<void>) | undefined;
    await runWithRequestContext({ requestId: item.requestId }, async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const result = await handleOnce(dataSource, consumer, item.event, async (m) => {
            if (handler) await handler(item.event, m);
          });
          consumedEvents.inc({ queue: spec.queue, type: item.event.type, outcome: result });
          if (result === 'processed') this.options.afterCommit?.();
          item.resolve('ack');
          return;
        } catch (err) {
          if (isTransientDbError(err) && !this.options.isStopping()) {
            if (attempt === 0 || attempt % 20 === 0) logger.warn({ err, eventId: item.event.id }, 'database unavailable; holding the event and retrying');
            await sleep(Math.min(5_000, 100 * 2 ** Math.min(attempt, 6)));
            continue;
          }
          this.fail(item, err);
          return;
        }
      }
    });
  }

  private fail(item: Pending, err: unknown): void {
    const { logger, spec } = this.options;
    logger.error({ err, eventId: item.event.id, type: item.event.type, deliveryCount: item.deliveryCount }, 'event handler failed; requeueing');
    consumedEvents.inc({ queue: spec.queue, type: item.event.type, outcome: 'retried' });
    item.resolve('retry');
  }
}

function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  return e.code === 'ER_DUP_ENTRY' || e.errno === 1062 || e.driverError?.code === 'ER_DUP_ENTRY';
}
