import { MetricsController } from '@chairbook/platform';
import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { ChannelsModule } from './channels/channels.module';
import { ConfigModule } from './config/config.module';
import { MessagingConfig } from './config/messaging.config';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MessagingModule } from './messaging.module';

@Module({})
export class AppModule {
  static register(config: MessagingConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.register(config, logger), DatabaseModule, ChannelsModule, MessagingModule, EventsModule, HealthModule],
      controllers: [MetricsController],
    };
  }
}
