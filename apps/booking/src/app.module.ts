import { LOGGER, MetricsController } from '@chairbook/platform';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { BookingConfig } from './config/booking.config';
import { HealthController } from './health/health.controller';

@Global()
@Module({})
export class AppModule {
  static register(config: BookingConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: BookingConfig, useValue: config },
        { provide: LOGGER, useValue: logger },
      ],
      exports: [BookingConfig, LOGGER],
    };
  }
}
