/**
 * The durable queues each consuming service owns on the domain events exchange. Publishers
 * declare them too (same arguments), so events published before a consumer ever started are
 * kept for it instead of being dropped as unroutable.
 */
export interface ConsumerQueue {
  queue: string;
  bindings: string[];
  /** Deliveries before a message that keeps failing is dead-lettered. */
  deliveryLimit: number;
}

export const consumerQueues = {
  messagingCoreEvents: {
    queue: 'messaging.core-events',
    bindings: ['business.*', 'branch.*', 'client.*', 'booking.*', 'appointment.*', 'purchase.*'],
    deliveryLimit: 10,
  },
  /** core-api hears what messaging learns from clients (opt-outs) to keep consents in step. */
  coreApiMessagingEvents: {
    queue: 'core-api.messaging-events',
    bindings: ['messaging.*'],
    deliveryLimit: 10,
  },
} as const satisfies Record<string, ConsumerQueue>;

export const allConsumerQueues: ConsumerQueue[] = Object.values(consumerQueues).map((q) => ({ ...q, bindings: [...q.bindings] }));

/**
 * Routing keys each copy of a service listens to on a temporary queue of its own (exclusive,
 * deleted with the connection): things every copy must hear, like cache invalidations and the
 * live appointment screen's changes.
 */
export const broadcastBindings = {
  credentialsChanged: ['user.credentials_changed'],
  /** The live appointment screen: every copy pushes each change to its own open screens. */
  appointmentScreen: ['appointment.*', 'booking.*'],
} as const satisfies Record<string, readonly string[]>;
