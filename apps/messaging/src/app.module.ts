import { MetricsController } from '@chairbook/platform';
import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule } from './config/config.module';
import { MessagingConfig } from './config/messaging.config';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';

@Module({})
export class AppModule {
  static register(config: MessagingConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.register(config, logger), DatabaseModule, EventsModule, HealthModule],
      controllers: [MetricsController],
    };
  }
}
