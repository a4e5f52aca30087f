import { MetricsController } from '@chairbook/platform';
import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule } from './config/config.module';
import { CoreApiConfig } from './config/core-api.config';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { BusinessModule } from './modules/business/business.module';

@Module({})
export class AppModule {
  static register(config: CoreApiConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config, logger),
        DatabaseModule,
        EventsModule,
        HealthModule,
        BusinessModule,
      ],
      controllers: [MetricsController],
    };
  }
}
