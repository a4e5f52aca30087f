import { DomainEvent, EventContractError, EventType, parseEvent } from '@chairbook/contracts';
import type { Logger } from 'pino';
import { Counter, register } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import { isTransientDbError } from '../database/mysql';
import { handleOnce } from '../inbox/inbox';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestContext } from '../logging/request-context';
import { HandlerOutcome, QueueSpec, RabbitMqClient, ReceivedMessage } from '../rabbitmq/rabbitmq-client';

export type EventHandlers = {
  [T in EventType]?: (event: DomainEvent<T>, manager: EntityManager) => Promise<void>;
};

/** Shared by every consumer of domain events (this one and messaging's batching consumer). */
export const consumedEvents = (() => {
  const existing = register.getSingleMetric('events_consumed_total');
  return (
    (existing as Counter<'queue' | 'type' | 'outcome'> | undefined) ??
    new Counter({
      name: 'events_consumed_total',
      help: 'Domain events received, by outcome (processed, duplicate, dead_lettered, retried)',
      labelNames: ['queue', 'type', 'outcome'],
    })
  );
})();

/**
 * The event a message carries, checked against its contract; undefined (logged and counted) when
 * it breaks it: such a message can never succeed, so the caller dead-letters it at once.
 */
export function parseReceivedEvent(message: ReceivedMessage, spec: QueueSpec, logger: Logger): DomainEvent | undefined {
  try {
    return parseEvent(JSON.parse(message.content.toString('utf8')));
  } catch (err) {
    const reason = err instanceof EventContractError ? err.message : 'body is not JSON';
    logger.error({ queue: spec.queue, routingKey: message.routingKey, messageId: message.messageId, reason }, 'dead-lettering a message that breaks its contract');
    consumedEvents.inc({ queue: spec.queue, type: message.routingKey, outcome: 'dead_lettered' });
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Wires a durable queue to typed handlers with effect-once semantics:
 * - a message that breaks its contract is dead-lettered at once (it can never succeed);
 * - each event is handled inside a transaction with its inbox row, so duplicates are skipped;
 * - when the database is briefly away, the message stays unacked and is retried here with
 *   backoff (it does not burn its delivery attempts); other failures are requeued and, after
 *   the queue's delivery limit, dead-lettered instead of looping.
 */
export async function consumeDomainEvents(options: {
  client: RabbitMqClient;
  dataSource: DataSource;
  consumer: string;
  spec: QueueSpec;
  handlers: EventHandlers;
  logger: Logger;
  isStopping?: () => boolean;
}): Promise<void> {
  const { client, dataSource, consumer, spec, handlers, logger } = options;
  await client.consume(spec, async (message: ReceivedMessage): Promise<HandlerOutcome> => {
    const event = parseReceivedEvent(message, spec, logger);
    if (!event) return 'dead-letter';
    const handler = handlers[event.type] as ((e: DomainEvent, m: EntityManager) => Promise<void>) | undefined;
    const requestId = requestIdFrom(message.headers[REQUEST_ID_HEADER]);
    return runWithRequestContext({ requestId }, async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const result = await handleOnce(dataSource, consumer, event, async (manager) => {
            if (handler) await handler(event, manager);
          });
          consumedEvents.inc({ queue: spec.queue, type: event.type, outcome: result });
          return 'ack';
        } catch (err) {
          if (isTransientDbError(err) && !options.isStopping?.()) {
            if (attempt === 0 || attempt % 20 === 0) logger.warn({ err, eventId: event.id }, 'database unavailable; holding the event and retrying');
            await sleep(Math.min(5_000, 100 * 2 ** Math.min(attempt, 6)));
            continue;
          }
          logger.error({ err, eventId: event.id, type: event.type, deliveryCount: message.deliveryCount }, 'event handler failed; requeueing');
          consumedEvents.inc({ queue: spec.queue, type: event.type, outcome: 'retried' });
          return 'retry';
        }
      }
    });
  });
}
