import { consumerQueues } from '@chairbook/contracts';
import { consumeDomainEvents, LOGGER, RabbitMqClient } from '@chairbook/platform';
import { Global, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { MessagingConfig } from '../config/messaging.config';
import { tenantDirectoryHandlers } from '../tenants/tenant-directory.handlers';

const CORE_EVENTS = consumerQueues.messagingCoreEvents;

@Injectable()
class CoreEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopping = false;

  constructor(
    private readonly config: MessagingConfig,
    private readonly broker: RabbitMqClient,
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await consumeDomainEvents({
      client: this.broker,
      dataSource: this.dataSource,
      consumer: CORE_EVENTS.queue,
      spec: { ...CORE_EVENTS, bindings: [...CORE_EVENTS.bindings], prefetch: this.config.rabbit.prefetch },
      handlers: { ...tenantDirectoryHandlers },
      logger: this.logger,
      isStopping: () => this.stopping,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
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
        const client = new RabbitMqClient({ url: config.rabbit.url, name: 'messaging', logger, publishWindow: config.rabbit.publishWindow });
        await client.start();
        return client;
      },
    },
    CoreEventsConsumer,
  ],
  exports: [RabbitMqClient],
})
export class EventsModule {}
