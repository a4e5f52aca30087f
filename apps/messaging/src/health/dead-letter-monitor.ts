import { consumerQueues } from '@chairbook/contracts';
import { LOGGER } from '@chairbook/platform';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import amqplib, { ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { Gauge, register } from 'prom-client';
import { MessagingConfig } from '../config/messaging.config';

export const DEAD_LETTER_QUEUE = `${consumerQueues.messagingCoreEvents.queue}.dlq`;

const depthGauge = (() => {
  const existing = register.getSingleMetric('messaging_dead_letter_depth');
  return (existing as Gauge<'queue'> | undefined) ?? new Gauge({ name: 'messaging_dead_letter_depth', help: 'Messages waiting in the dead-letter queue', labelNames: ['queue'] });
})();

/**
 * Watches the depth of the dead-letter queue (events that broke their contract or kept
 * failing) for /health details and the `messaging_dead_letter_depth` metric, which the
 * alarm pages on. Its own small connection, polled every MESSAGING_DLQ_POLL_MS (15 s), so
 * /health never waits on it.
 */
@Injectable()
export class DeadLetterMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private connection?: ChannelModel;
  private timer?: NodeJS.Timeout;
  depth: number | null = null;
  error?: string;

  constructor(
    private readonly config: MessagingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      void this.refresh().finally(() => {
        this.timer = setTimeout(tick, this.config.events.deadLetterPollMs);
        this.timer.unref();
      });
    };
    tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.connection?.close().catch(() => undefined);
  }

  async refresh(): Promise<void> {
    try {
      if (!this.connection) {
        this.connection = await amqplib.connect(this.config.rabbit.url, { timeout: 3_000, clientProperties: { connection_name: 'messaging-dlq-monitor' } });
        this.connection.on('error', () => undefined);
        this.connection.on('close', () => {
          this.connection = undefined;
        });
      }
      const channel = await this.connection.createChannel();
      try {
        const { messageCount } = await channel.checkQueue(DEAD_LETTER_QUEUE);
        this.depth = messageCount;
        this.error = undefined;
        depthGauge.set({ queue: DEAD_LETTER_QUEUE }, messageCount);
      } finally {
        await channel.close().catch(() => undefined);
      }
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      this.logger.debug({ err: this.error }, 'dead-letter depth unavailable');
    }
  }
}
