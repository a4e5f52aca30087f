import { allConsumerQueues } from '@chairbook/contracts';
import { LOGGER, OutboxRelay, RabbitMqClient } from '@chairbook/platform';
import { Global, Injectable, Module, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { CoreApiConfig } from '../config/core-api.config';
import { DomainEvents } from './domain-events';

/** Starts the relay once the app is up and stops it (then the broker) on shutdown. */
@Injectable()
class EventsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly config: CoreApiConfig,
    private readonly broker: RabbitMqClient,
    private readonly relay: OutboxRelay,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.outbox.relayEnabled) this.relay.start();
  }

  // Before Nest's onApplicationShutdown hooks, where TypeORM closes the pool: the last
  // pass of a loop (and any in-flight handler) still has its database and broker.
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.broker.close(this.config.shutdownTimeoutMs);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: RabbitMqClient,
      inject: [CoreApiConfig, LOGGER],
      useFactory: async (config: CoreApiConfig, logger: Logger) => {
        const client = new RabbitMqClient({
          url: config.rabbit.url,
          name: 'core-api',
          logger,
          publishWindow: config.rabbit.publishWindow,
          declareQueues: allConsumerQueues,
        });
        await client.start();
        return client;
      },
    },
    {
      provide: OutboxRelay,
      inject: [DataSource, RabbitMqClient, LOGGER, CoreApiConfig],
      useFactory: (dataSource: DataSource, broker: RabbitMqClient, logger: Logger, config: CoreApiConfig) =>
        new OutboxRelay(dataSource, broker, logger, { pollIntervalMs: config.outbox.pollIntervalMs }),
    },
    DomainEvents,
    EventsLifecycle,
  ],
  exports: [RabbitMqClient, OutboxRelay, DomainEvents],
})
export class EventsModule {}
