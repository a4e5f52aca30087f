import { z } from 'zod';

/**
 * The envelope every domain event travels in. It is the contract between services: the
 * publisher validates before writing to its outbox, the consumer validates before handling,
 * so a malformed message is rejected at the edge (and dead-lettered) instead of half-handled.
 */
export const eventEnvelopeSchema = z.object({
  /** Unique per event: consumers drop duplicates by this id (at-least-once delivery). */
  id: z.uuid(),
  type: z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/, 'dot.case event type'),
  /** Contract version of `data` for this type; bumped on a breaking change. */
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  businessId: z.string().min(1).max(64),
  branchId: z.string().min(1).max(64).nullable(),
  data: z.record(z.string(), z.unknown()),
});

export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** The topic exchange all domain events are published to; routing key = event type. */
export const DOMAIN_EVENTS_EXCHANGE = 'chairbook.events';
/** Messages that cannot be processed end up here, routed by their original queue name. */
export const DEAD_LETTER_EXCHANGE = 'chairbook.dlx';
