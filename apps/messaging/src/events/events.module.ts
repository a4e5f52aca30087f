import { broadcastBindings, consumerQueues, DomainEvent, isEvent, parseEvent } from '@chairbook/contracts';
import { LOGGER, OutboxRelay, RabbitMqClient } from '@chairbook/platform';
import { Global, Inject, Injectable, Module, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { CoreApiAuthGuard } from '../auth/core-api-auth.guard';
import { bookingEventHandlers, confirmBookings } from '../bookings/booking-events.handlers';
import { MessagingConfig } from '../config/messaging.config';
import { clientDirectoryHandlers } from '../directory/client-directory.handlers';
import { Dispatcher } from '../dispatch/dispatcher';
import { tenantDirectoryHandlers } from '../tenants/tenant-directory.handlers';
import { BatchingEventConsumer } from './batch-consumer';

const CORE_EVENTS = consumerQueues.messagingCoreEvents;

@Injectable()
class CoreEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopping = false;
  private consumer?: BatchingEventConsumer;

  constructor(
    private readonly config: MessagingConfig,
    private readonly broker: RabbitMqClient,
    private readonly relay: OutboxRelay,
    private readonly dataSource: DataSource,
    private readonly dispatcher: Dispatcher,
    private readonly auth: CoreApiAuthGuard,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const links = { bookingPublicUrl: this.config.bookingPublicUrl, linkSigningSecret: this.config.linkSigningSecret };
    const bookings = bookingEventHandlers(links);
    const completed = bookings['appointment.completed'];
    const handlers = {
      ...tenantDirectoryHandlers,
      ...clientDirectoryHandlers,
      ...bookings,
      // Completed: record the visit (directory) and drop the booking's pending reminders.
      'appointment.completed': async (event: DomainEvent<'appointment.completed'>, m: EntityManager) => {
        await clientDirectoryHandlers['appointment.completed'](event, m);
        await completed(event, m);
      },
      // purchase.* is bound for future use (spend-based segments); nothing to do yet.
    };
    this.consumer = new BatchingEventConsumer({
      client: this.broker,
      dataSource: this.dataSource,
      consumer: CORE_EVENTS.queue,
      // Acks in bulk: a batch commits together, so its acks go out as one frame.
      spec: { ...CORE_EVENTS, bindings: [...CORE_EVENTS.bindings], prefetch: this.config.rabbit.prefetch, coalesceAcks: true },
      handlers,
      bulk: {
        'booking.confirmed': {
          handle: (events, m, batch) => confirmBookings(m, events, links, { dispatcher: this.dispatcher, scope: batch }),
          keys: (e) => [`b:${e.data.bookingId}`, `c:${e.data.clientId}`],
        },
      },
      logger: this.logger,
      maxBatch: this.config.events.maxBatch,
      concurrency: this.config.events.concurrency,
      isStopping: () => this.stopping,
      // What a batch queued goes out at once rather than at the dispatcher's next poll. (Only
      // this copy needs waking: every copy's dispatcher claims from the same table.)
      afterCommit: () => this.dispatcher.wake(),
    });
    await this.consumer.start();
    await this.broker.subscribeBroadcast(
      broadcastBindings.credentialsChanged,
      async (message) => {
        try {
          const event = parseEvent(JSON.parse(message.content.toString('utf8')));
          if (isEvent(event, 'user.credentials_changed')) this.auth.forgetUser(event.data.userId);
        } catch {
          this.auth.clear();
        }
      },
      // Changes missed while disconnected are unknown: forget every verified credential.
      { onResubscribed: () => this.auth.clear() },
    );
    this.relay.start();
  }

  // Before Nest's onApplicationShutdown hooks, where TypeORM closes the pool: the last
  // pass of a loop (and any in-flight handler) still has its database and broker.
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.relay.stop();
    await this.broker.close(this.config.shutdownTimeoutMs);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: RabbitMqClient,
      inject: [MessagingConfig, LOGGER],
      useFactory: async (config: MessagingConfig, logger: Logger) => {
        const client = new RabbitMqClient({
          url: config.rabbit.url,
          name: 'messaging',
          logger,
          publishWindow: config.rabbit.publishWindow,
          // Opt-out events must wait for core-api even if it has never started its consumer.
          declareQueues: [{ ...consumerQueues.coreApiMessagingEvents, bindings: [...consumerQueues.coreApiMessagingEvents.bindings] }],
        });
        await client.start();
        return client;
      },
    },
    {
      provide: OutboxRelay,
      inject: [DataSource, RabbitMqClient, LOGGER, MessagingConfig],
      useFactory: (dataSource: DataSource, broker: RabbitMqClient, logger: Logger, config: MessagingConfig) =>
        new OutboxRelay(dataSource, broker, logger, { pollIntervalMs: config.outbox.pollIntervalMs }),
    },
    CoreEventsConsumer,
  ],
  exports: [RabbitMqClient, OutboxRelay],
})
export class EventsModule {}
