import * as amqp from 'amqplib/callback_api';
import type { Channel, ConfirmChannel, Connection, Message, Options } from 'amqplib/callback_api';
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
  bindings: readonly string[];
  /** Deliveries before a message that keeps failing is dead-lettered. */
  deliveryLimit?: number;
  prefetch?: number;
  /**
   * Settle acks in bulk: acks decided in one tick go out as one `basic.ack` with `multiple`
   * for the run of oldest deliveries that are all done, instead of one frame (and, with amqplib,
   * one socket write and one broker settle) per message. An ack behind an older delivery still
   * being handled waits for it (at most `ACK_HOLD_MS`, then it is sent on its own). Nacks go out
   * at once. Same guarantees: a message is acked only after its handler said so.
   */
  coalesceAcks?: boolean;
}

/** How long a coalesced ack may wait behind an older delivery that is still being handled. */
const ACK_HOLD_MS = 1_000;

interface Consumer {
  spec: QueueSpec;
  handler: (message: ReceivedMessage) => Promise<HandlerOutcome>;
  channel?: Channel;
  tag?: string;
  acks?: AckBatcher;
}

/**
 * The unsettled deliveries of one consumer channel, in delivery order (delivery tags only grow
 * on a channel), and which of them their handler has asked to ack. `flush` acks the longest run
 * of oldest deliveries that are all ready with one `multiple` ack: it never covers a delivery
 * that is still being handled (or was nacked: those leave the list when nacked).
 */
export class AckBatcher {
  /** Delivery tag -> the message once its handler asked for an ack (undefined while it runs). */
  private readonly unsettled = new Map<number, Message | undefined>();
  private scheduled = false;
  private holdTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly channel: Channel) {}

  delivered(msg: Message): void {
    this.unsettled.set(msg.fields.deliveryTag, undefined);
  }

  ack(msg: Message): void {
    if (this.closed) return;
    this.unsettled.set(msg.fields.deliveryTag, msg);
    if (!this.scheduled) {
      this.scheduled = true;
      // Everything decided in this turn of the event loop (a batch of handlers resolving
      // together) goes out as one frame.
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  nack(msg: Message, requeue: boolean): void {
    if (this.closed) return;
    this.unsettled.delete(msg.fields.deliveryTag);
    this.channel.nack(msg, false, requeue);
  }

  /** Acks the ready run at the head with one frame; arms the hold timer for acks stuck behind a running delivery. */
  flush(): void {
    if (this.closed) return;
    let last: Message | undefined;
    for (const [tag, msg] of this.unsettled) {
      if (!msg) break;
      last = msg;
      this.unsettled.delete(tag);
    }
    if (last) this.send(last, true);
    const waiting = [...this.unsettled.values()].some((m) => m !== undefined);
    if (!waiting) {
      clearTimeout(this.holdTimer);
      this.holdTimer = undefined;
    } else if (!this.holdTimer) {
      this.holdTimer = setTimeout(() => {
        this.holdTimer = undefined;
        this.flushAll();
      }, ACK_HOLD_MS);
      this.holdTimer.unref?.();
    }
  }

  /** Every ready ack now: the head run in one frame, the ones behind a running delivery one by one. */
  flushAll(): void {
    if (this.closed) return;
    this.flush();
    for (const [tag, msg] of this.unsettled) {
      if (!msg) continue;
      this.unsettled.delete(tag);
      this.send(msg, false);
    }
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
  }

  private send(msg: Message, multiple: boolean): void {
    try {
      this.channel.ack(msg, multiple);
    } catch {
      // The channel is closing: the broker redelivers what it did not get acked, and the
      // consumer's inbox drops the duplicates.
      this.close();
    }
  }

  /** The channel is gone: the broker redelivers whatever was unsettled, nothing more can be sent. */
  close(): void {
    this.closed = true;
    clearTimeout(this.holdTimer);
    this.unsettled.clear();
  }
}

interface Broadcast {
  bindings: readonly string[];
  handler: (message: ReceivedMessage) => Promise<void>;
  onResubscribed?: () => void;
  subscribedBefore: boolean;
  /** Whether the caller wants the messages now (see BroadcastSubscription.setActive). */
  active: boolean;
  /** The current connection's channel and queue, and whether the queue is bound. */
  channel?: Channel;
  queue?: string;
  bound: boolean;
  /** Binding changes, one after another. */
  changes: Promise<void>;
}

/** A broadcast subscription whose routing keys can be bound and unbound as it is needed. */
export interface BroadcastSubscription {
  /**
   * Binds (true) or unbinds (false) the subscription's queue. Resolves once the broker has
   * done it (or, while disconnected, at once: the next connection binds as it was last asked).
   */
  setActive(active: boolean): Promise<void>;
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

/** amqplib's callback API, one operation at a time, as promises. */
const call = <T>(fn: (cb: (err: unknown, value: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => fn((err, value) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(value))));

const noop = () => undefined;

/**
 * One connection per process, reconnected with exponential backoff and jitter. On every
 * (re)connect it declares the topology, reopens the confirm channel and restarts the
 * consumers, so a broker restart needs no service restart. Publishing resolves only when the
 * broker confirms; consumers ack only after their handler committed its work.
 *
 * Built on amqplib's callback API on purpose: it hands over the connection synchronously,
 * so an error listener is attached before anything can be emitted. (With the promise API and
 * its built-in recovery there is a window in which a broker dropping the connection raises an
 * 'error' nobody listens to, which would crash the process.)
 */
export class RabbitMqClient {
  private connection?: Connection;
  private confirmChannel?: ConfirmChannel;
  private readonly consumers: Consumer[] = [];
  private readonly broadcasts: Broadcast[] = [];
  private inFlightPublishes = 0;
  private readonly publishWaiters: (() => void)[] = [];
  private readonly activeHandlers = new Set<Promise<unknown>>();
  private closing = false;
  private connecting = false;
  private attempt = 0;
  private reconnectTimer?: NodeJS.Timeout;
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
    if (this.connecting || this.connection) return;
    this.closing = false;
    void this.connect();
  }

  isConnected(): boolean {
    return !!this.connection && !!this.confirmChannel;
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
    if (this.connection && this.confirmChannel) await this.startConsumer(this.connection, consumer).catch((err) => this.dropConnection(err));
  }

  /**
   * Hears every message with these routing keys on a temporary queue of this process alone
   * (each copy of a service gets its own copy of the message). Nothing is kept while the
   * process is disconnected, so `onResubscribed` runs after every reconnect to let the caller
   * resynchronise (e.g. drop a cache). With `active: false` the queue is not bound until
   * `setActive(true)`: the broker then drops what nobody here wants instead of delivering it.
   */
  async subscribeBroadcast(
    bindings: readonly string[],
    handler: (message: ReceivedMessage) => Promise<void>,
    options: { onResubscribed?: () => void; active?: boolean } = {},
  ): Promise<BroadcastSubscription> {
    const broadcast: Broadcast = { bindings, handler, onResubscribed: options.onResubscribed, subscribedBefore: false, active: options.active ?? true, bound: false, changes: Promise.resolve() };
    this.broadcasts.push(broadcast);
    if (this.connection && this.confirmChannel) await this.startBroadcast(this.connection, broadcast).catch((err) => this.dropConnection(err));
    return { setActive: (active) => this.setBroadcastActive(broadcast, active) };
  }

  private setBroadcastActive(broadcast: Broadcast, active: boolean): Promise<void> {
    broadcast.active = active;
    // A failure is logged, not thrown: it means the channel broke, and the next connection
    // binds as `active` then says.
    return this.queueBinding(broadcast).catch((err: unknown) => this.options.logger.warn({ err }, 'broadcast binding change failed'));
  }

  /** Runs applyBinding after the changes queued before it; a failure does not stop later ones. */
  private queueBinding(broadcast: Broadcast): Promise<void> {
    const applied = broadcast.changes.then(() => this.applyBinding(broadcast));
    broadcast.changes = applied.catch(() => undefined);
    return applied;
  }

  /** Brings the current queue's bindings to what `active` asks (nothing to do while disconnected). */
  private async applyBinding(broadcast: Broadcast): Promise<void> {
    const { channel, queue } = broadcast;
    if (!channel || !queue || broadcast.bound === broadcast.active) return;
    const method = broadcast.active ? 'bindQueue' : 'unbindQueue';
    for (const key of broadcast.bindings) await call((cb) => channel[method](queue, DOMAIN_EVENTS_EXCHANGE, key, {}, cb));
    broadcast.bound = broadcast.active;
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
    clearTimeout(this.reconnectTimer);
    await Promise.all(
      this.consumers.map(async (c) => {
        if (c.channel && c.tag) await call<unknown>((cb) => c.channel!.cancel(c.tag!, cb)).catch(noop);
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
    for (const c of this.consumers) {
      try {
        c.acks?.flushAll();
      } catch {
        /* channel closed: the broker redelivers, the inbox drops the duplicates */
      }
    }
    const connection = this.connection;
    this.connection = undefined;
    this.confirmChannel = undefined;
    if (connection) await call<void>((cb) => connection.close((err) => cb(err, undefined))).catch(noop);
  }

  private async connect(): Promise<void> {
    if (this.closing) return;
    this.connecting = true;
    let connection: Connection | undefined;
    try {
      const url = new URL(this.options.url);
      if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', '15');
      connection = await new Promise<Connection>((resolve, reject) => {
        amqp.connect(url.toString(), { clientProperties: { connection_name: this.options.name }, timeout: 5_000 }, (err, conn) => {
          if (err) return reject(err);
          // Listen at once: nothing may be emitted on this connection without a listener.
          conn.on('error', (e: Error) => {
            this.lastError = e.message;
          });
          conn.on('close', (e?: Error) => this.onClosed(conn, e));
          resolve(conn);
        });
      });
      await this.setUp(connection);
      this.attempt = 0;
      this.lastError = undefined;
      this.options.logger.info({ consumers: this.consumers.map((c) => c.spec.queue) }, 'connected to RabbitMQ');
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.connecting = false;
      if (connection) this.dropConnection(err, connection);
    } finally {
      this.connecting = false;
      // A connection that closed while it was being set up (the consumers start after it
      // already counts as connected) had its 'close' arrive while `connecting` held the
      // reconnect back, and closing it again emits nothing: without this, a broker blip at
      // that moment left the process disconnected for good.
      if (!this.isConnected()) this.scheduleReconnect();
    }
  }

  private async setUp(connection: Connection): Promise<void> {
    const setupChannel = await call<Channel>((cb) => connection.createChannel(cb));
    setupChannel.on('error', noop);
    await call((cb) => setupChannel.assertExchange(DOMAIN_EVENTS_EXCHANGE, 'topic', { durable: true }, cb));
    await call((cb) => setupChannel.assertExchange(DEAD_LETTER_EXCHANGE, 'direct', { durable: true }, cb));
    for (const spec of this.options.declareQueues ?? []) await this.declareQueue(setupChannel, spec);
    for (const { spec } of this.consumers) await this.declareQueue(setupChannel, spec);
    await call<void>((cb) => setupChannel.close((err) => cb(err, undefined)));

    const confirm = await call<ConfirmChannel>((cb) => connection.createConfirmChannel(cb));
    confirm.on('error', (err: Error) => this.options.logger.warn({ err: err.message }, 'confirm channel error'));
    // A closed confirm channel cannot publish: treat it like a lost connection.
    confirm.on('close', () => {
      if (this.confirmChannel === confirm) this.dropConnection(new Error('confirm channel closed'), connection);
    });
    this.connection = connection;
    this.confirmChannel = confirm;
    for (const consumer of this.consumers) await this.startConsumer(connection, consumer);
    for (const broadcast of this.broadcasts) await this.startBroadcast(connection, broadcast);
  }

  private onClosed(connection: Connection, err?: Error): void {
    if (this.connection && this.connection !== connection) return;
    const wasConnected = this.connection === connection;
    this.connection = undefined;
    this.confirmChannel = undefined;
    for (const c of this.consumers) {
      c.acks?.close();
      c.channel = undefined;
      c.tag = undefined;
      c.acks = undefined;
    }
    for (const b of this.broadcasts) {
      b.channel = undefined;
      b.queue = undefined;
      b.bound = false;
    }
    if (err) this.lastError = err.message;
    if (this.closing) return;
    if (wasConnected) this.options.logger.warn({ err: this.lastError }, 'lost RabbitMQ connection; reconnecting');
    this.scheduleReconnect();
  }

  private dropConnection(err: unknown, connection = this.connection): void {
    this.lastError = err instanceof Error ? err.message : String(err);
    if (connection) {
      // Closing triggers onClosed, which schedules the reconnect.
      try {
        connection.close(noop);
      } catch {
        this.onClosed(connection);
      }
    } else {
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.closing || this.reconnectTimer || this.connecting) return;
    this.attempt++;
    const base = Math.min(5_000, 250 * 2 ** Math.min(this.attempt - 1, 5));
    const delay = Math.round(base * (0.7 + Math.random() * 0.6));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref?.();
  }

  private async declareQueue(channel: Channel, spec: QueueSpec): Promise<void> {
    const dlq = `${spec.queue}.dlq`;
    await call((cb) => channel.assertQueue(dlq, { durable: true, arguments: { 'x-queue-type': 'quorum' } }, cb));
    await call((cb) => channel.bindQueue(dlq, DEAD_LETTER_EXCHANGE, spec.queue, {}, cb));
    await call((cb) =>
      channel.assertQueue(
        spec.queue,
        {
          durable: true,
          arguments: {
            'x-queue-type': 'quorum',
            'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
            'x-dead-letter-routing-key': spec.queue,
            'x-delivery-limit': spec.deliveryLimit ?? 10,
          },
        },
        cb,
      ),
    );
    for (const key of spec.bindings) await call((cb) => channel.bindQueue(spec.queue, DOMAIN_EVENTS_EXCHANGE, key, {}, cb));
  }

  private async startConsumer(connection: Connection, consumer: Consumer): Promise<void> {
    if (this.closing) return;
    const channel = await call<Channel>((cb) => connection.createChannel(cb));
    channel.on('error', (err: Error) => this.options.logger.warn({ err: err.message, queue: consumer.spec.queue }, 'consumer channel error'));
    await this.declareQueue(channel, consumer.spec);
    await call((cb) => channel.prefetch(consumer.spec.prefetch ?? 50, false, cb));
    const acks = consumer.spec.coalesceAcks ? new AckBatcher(channel) : undefined;
    channel.on('close', () => acks?.close());
    const { consumerTag } = await call<{ consumerTag: string }>((cb) =>
      channel.consume(
        consumer.spec.queue,
        (msg) => {
          if (!msg) return; // the broker cancelled us; the next reconnect restarts the consumer
          acks?.delivered(msg);
          const work = this.dispatch(channel, consumer, msg, acks);
          this.activeHandlers.add(work);
          void work.finally(() => this.activeHandlers.delete(work));
        },
        {},
        cb,
      ),
    );
    consumer.channel = channel;
    consumer.tag = consumerTag;
    consumer.acks = acks;
  }

  private async startBroadcast(connection: Connection, broadcast: Broadcast): Promise<void> {
    if (this.closing) return;
    const channel = await call<Channel>((cb) => connection.createChannel(cb));
    channel.on('error', (err: Error) => this.options.logger.warn({ err: err.message }, 'broadcast channel error'));
    const { queue } = await call<{ queue: string }>((cb) => channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false }, cb));
    broadcast.channel = channel;
    broadcast.queue = queue;
    broadcast.bound = false;
    await this.queueBinding(broadcast);
    await call((cb) =>
      channel.consume(
        queue,
        (msg) => {
          if (!msg) return;
          const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
          void broadcast
            .handler({ routingKey: msg.fields.routingKey, content: msg.content, headers, messageId: msg.properties.messageId as string | undefined, deliveryCount: 0, redelivered: false })
            .catch((err: unknown) => this.options.logger.warn({ err }, 'broadcast handler failed'));
        },
        { noAck: true },
        cb,
      ),
    );
    if (broadcast.subscribedBefore) broadcast.onResubscribed?.();
    broadcast.subscribedBefore = true;
  }

  private async dispatch(channel: Channel, consumer: Consumer, msg: Message, acks?: AckBatcher): Promise<void> {
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
      if (acks) {
        if (outcome === 'ack') acks.ack(msg);
        else acks.nack(msg, outcome === 'retry');
      } else if (outcome === 'ack') channel.ack(msg);
      else channel.nack(msg, false, outcome === 'retry');
    } catch {
      /* channel closed */
    }
  }
}
