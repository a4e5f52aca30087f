import amqplib, { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Options, RecoveringChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { DEAD_LETTER_EXCHANGE, DOMAIN_EVENTS_EXCHANGE } from '@chairbook/contracts';

/** What a handler decides about a message; the client acks or rejects accordingly. */
export type HandlerOutcome = 'ack' | 'retry' | 'dead-letter';

export interface ReceivedMessage {
  routingKey: string;
  content: Buffer;
  headers: Record<string, unknown>;
  messageId?: string;
  /** How many times the broker delivered it before (quorum queues count requeues). */
  deliveryCount: number;
  redelivered: boolean;
}

export interface QueueSpec {
  /** Durable queue owned by one consuming service, e.g. `messaging.core-events`. */
  queue: string;
  /** Routing keys bound from the domain events exchange, e.g. `appointment.*`. */
  bindings: string[];
  /** Deliveries before a message that keeps failing is dead-lettered. */
  deliveryLimit?: number;
  prefetch?: number;
}

interface Broadcast {
  bindings: readonly string[];
  handler: (message: ReceivedMessage) => Promise<void>;
  onResubscribed?: () => void;
  subscribedBefore: boolean;
}

interface Consumer {
  spec: QueueSpec;
  handler: (message: ReceivedMessage) => Promise<HandlerOutcome>;
  channel?: Channel;
  tag?: string;
}

export interface PublishOptions {
  messageId?: string;
  type?: string;
  headers?: Record<string, unknown>;
  timestamp?: number;
}

export class BrokerUnavailableError extends Error {
  constructor(message = 'message broker is not connected') {
    super(message);
    this.name = 'BrokerUnavailableError';
  }
}

/**
 * One connection per process with automatic recovery (amqplib's own backoff with jitter). On
 * every (re)connect it declares the topology, reopens the confirm channel and restarts the
 * consumers, so a broker restart needs no service restart. Publishing resolves only when the
 * broker confirms; consumers ack only after their handler has committed its work.
 */
export class RabbitMqClient {
  private connection?: RecoveringChannelModel;
  private model?: ChannelModel;
  private confirmChannel?: ConfirmChannel;
  private readonly consumers: Consumer[] = [];
  private readonly broadcasts: Broadcast[] = [];
  private inFlightPublishes = 0;
  private readonly publishWaiters: (() => void)[] = [];
  private readonly activeHandlers = new Set<Promise<unknown>>();
  private closing = false;
  private lastError?: string;

  constructor(
    private readonly options: {
      url: string;
      name: string;
      logger: Logger;
      publishWindow?: number;
      /** Queues to declare on every connect even when this process does not consume them. */
      declareQueues?: QueueSpec[];
    },
  ) {}

  /** Starts connecting in the background; the service boots even while the broker is down. */
  async start(): Promise<void> {
    if (this.connection) return;
    const url = new URL(this.options.url);
    url.searchParams.set('heartbeat', url.searchParams.get('heartbeat') ?? '15');
    this.connection = await amqplib.connect(url.toString(), {
      clientProperties: { connection_name: this.options.name },
      timeout: 5_000,
      recovery: {
        waitForConnect: false,
        initialDelay: 250,
        maxDelay: 5_000,
        jitter: 0.3,
        maxRetries: Infinity,
        setup: (model: ChannelModel) => this.onConnected(model),
      },
    } as Options.Connect & { recovery: object });
    this.connection.on('disconnect', (err: Error) => this.onDisconnected(err));
    this.connection.on('connect-failed', (err: Error) => {
      this.lastError = err.message;
    });
    this.connection.on('error', (err: Error) => {
      this.lastError = err.message;
    });
  }

  isConnected(): boolean {
    return !!this.model && !!this.confirmChannel;
  }

  status(): { connected: boolean; error?: string } {
    return this.isConnected() ? { connected: true } : { connected: false, error: this.lastError ?? 'connecting' };
  }

  /** Resolves once connected, or rejects after `timeoutMs`. */
  async waitUntilConnected(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isConnected()) {
      if (Date.now() > deadline) throw new BrokerUnavailableError(`broker not reachable after ${timeoutMs} ms: ${this.lastError ?? ''}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Registers a consumer; it starts now if connected and again after every reconnect. */
  async consume(spec: QueueSpec, handler: (message: ReceivedMessage) => Promise<HandlerOutcome>): Promise<void> {
    const consumer: Consumer = { spec, handler };
    this.consumers.push(consumer);
    if (this.model) await this.startConsumer(this.model, consumer);
  }

  /**
   * Hears every message with these routing keys on a temporary queue of this process alone
   * (each copy of a service gets its own copy of the message). Nothing is kept while the
   * process is disconnected, so `onResubscribed` runs after every reconnect to let the caller
   * resynchronise (e.g. drop a cache).
   */
  async subscribeBroadcast(bindings: readonly string[], handler: (message: ReceivedMessage) => Promise<void>, options: { onResubscribed?: () => void } = {}): Promise<void> {
    const broadcast: Broadcast = { bindings, handler, onResubscribed: options.onResubscribed, subscribedBefore: false };
    this.broadcasts.push(broadcast);
    if (this.model) await this.startBroadcast(this.model, broadcast);
  }

  /** Publishes to the domain events exchange and waits for the broker's confirm. */
  async publish(routingKey: string, content: Buffer, options: PublishOptions = {}): Promise<void> {
    const window = this.options.publishWindow ?? 200;
    while (this.inFlightPublishes >= window) {
      await new Promise<void>((resolve) => this.publishWaiters.push(resolve));
    }
    const channel = this.confirmChannel;
    if (!channel) throw new BrokerUnavailableError();
    this.inFlightPublishes++;
    try {
      await new Promise<void>((resolve, reject) => {
        const publishOptions: Options.Publish = {
          persistent: true,
          contentType: 'application/json',
          messageId: options.messageId,
          type: options.type,
          timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
          headers: options.headers,
        };
        try {
          channel.publish(DOMAIN_EVENTS_EXCHANGE, routingKey, content, publishOptions, (err) =>
            err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
          );
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    } finally {
      this.inFlightPublishes--;
      this.publishWaiters.shift()?.();
    }
  }

  /** Stops consuming, lets running handlers finish (up to `timeoutMs`), then closes. */
  async close(timeoutMs = 10_000): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.consumers.map(async (c) => {
        if (c.channel && c.tag) await c.channel.cancel(c.tag).catch(() => undefined);
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.activeHandlers]),
      new Promise((r) => {
        timer = setTimeout(r, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    await this.connection?.close().catch(() => undefined);
    this.model = undefined;
    this.confirmChannel = undefined;
  }

  private async onConnected(model: ChannelModel): Promise<void> {
    const setupChannel = await model.createChannel();
    await setupChannel.assertExchange(DOMAIN_EVENTS_EXCHANGE, 'topic', { durable: true });
    await setupChannel.assertExchange(DEAD_LETTER_EXCHANGE, 'direct', { durable: true });
    for (const spec of this.options.declareQueues ?? []) await this.declareQueue(setupChannel, spec);
    for (const { spec } of this.consumers) await this.declareQueue(setupChannel, spec);
    await setupChannel.close();

    const confirm = await model.createConfirmChannel();
    confirm.on('error', (err: Error) => this.options.logger.warn({ err: err.message }, 'confirm channel error'));
    this.model = model;
    this.confirmChannel = confirm;
    for (const consumer of this.consumers) await this.startConsumer(model, consumer);
    for (const broadcast of this.broadcasts) await this.startBroadcast(model, broadcast);
    this.lastError = undefined;
    this.options.logger.info({ consumers: this.consumers.map((c) => c.spec.queue) }, 'connected to RabbitMQ');
  }

  private onDisconnected(err: Error): void {
    this.model = undefined;
    this.confirmChannel = undefined;
    for (const c of this.consumers) {
      c.channel = undefined;
      c.tag = undefined;
    }
    this.lastError = err?.message ?? 'disconnected';
    if (!this.closing) this.options.logger.warn({ err: this.lastError }, 'lost RabbitMQ connection; reconnecting');
  }

  private async declareQueue(channel: Channel, spec: QueueSpec): Promise<void> {
    const dlq = `${spec.queue}.dlq`;
    await channel.assertQueue(dlq, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(dlq, DEAD_LETTER_EXCHANGE, spec.queue);
    await channel.assertQueue(spec.queue, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
        'x-dead-letter-routing-key': spec.queue,
        'x-delivery-limit': spec.deliveryLimit ?? 10,
      },
    });
    for (const key of spec.bindings) await channel.bindQueue(spec.queue, DOMAIN_EVENTS_EXCHANGE, key);
  }

  private async startConsumer(model: ChannelModel, consumer: Consumer): Promise<void> {
    if (this.closing) return;
    const channel = await model.createChannel();
    channel.on('error', (err: Error) => this.options.logger.warn({ err: err.message, queue: consumer.spec.queue }, 'consumer channel error'));
    await this.declareQueue(channel, consumer.spec);
    await channel.prefetch(consumer.spec.prefetch ?? 50);
    const { consumerTag } = await channel.consume(consumer.spec.queue, (msg) => {
      if (!msg) return; // the broker cancelled us; the next reconnect restarts the consumer
      const work = this.dispatch(channel, consumer, msg);
      this.activeHandlers.add(work);
      void work.finally(() => this.activeHandlers.delete(work));
    });
    consumer.channel = channel;
    consumer.tag = consumerTag;
  }

  private async startBroadcast(model: ChannelModel, broadcast: Broadcast): Promise<void> {
    if (this.closing) return;
    const channel = await model.createChannel();
    channel.on('error', (err: Error) => this.options.logger.warn({ err: err.message }, 'broadcast channel error'));
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    for (const key of broadcast.bindings) await channel.bindQueue(queue, DOMAIN_EVENTS_EXCHANGE, key);
    await channel.consume(
      queue,
      (msg) => {
        if (!msg) return;
        const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
        void broadcast
          .handler({ routingKey: msg.fields.routingKey, content: msg.content, headers, messageId: msg.properties.messageId as string | undefined, deliveryCount: 0, redelivered: false })
          .catch((err: unknown) => this.options.logger.warn({ err }, 'broadcast handler failed'));
      },
      { noAck: true },
    );
    if (broadcast.subscribedBefore) broadcast.onResubscribed?.();
    broadcast.subscribedBefore = true;
  }

  private async dispatch(channel: Channel, consumer: Consumer, msg: ConsumeMessage): Promise<void> {
    const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
    const received: ReceivedMessage = {
      routingKey: msg.fields.routingKey,
      content: msg.content,
      headers,
      messageId: msg.properties.messageId as string | undefined,
      deliveryCount: Number(headers['x-delivery-count'] ?? 0),
      redelivered: msg.fields.redelivered,
    };
    let outcome: HandlerOutcome;
    try {
      outcome = await consumer.handler(received);
    } catch (err) {
      this.options.logger.error({ err, queue: consumer.spec.queue, routingKey: received.routingKey }, 'message handler failed');
      outcome = 'retry';
    }
    // If the channel died meanwhile, the broker redelivers the message to the next consumer:
    // the inbox makes that harmless, so there is nothing to do here.
    try {
      if (outcome === 'ack') channel.ack(msg);
      else channel.nack(msg, false, outcome === 'retry');
    } catch {
      /* channel closed */
    }
  }
}
