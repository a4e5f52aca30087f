import { LOGGER, MetricsController } from '@chairbook/platform';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Logger } from 'pino';
import { BookingConfig } from './config/booking.config';
import { CoreApiClient } from './core-api/core-api.client';
import { HealthController } from './health/health.controller';
import { AbuseGuard } from './online/abuse';
import { OnlineBookingController } from './online/online-booking.controller';
import { OnlineBookingService } from './online/online-booking.service';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

@Global()
@Module({})
export class AppModule {
  static register(config: BookingConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        ThrottlerModule.forRoot({
          throttlers: [
            { name: 'ip', ttl: MINUTE, limit: config.limits.ipPerMinute },
            { name: 'holds', ttl: HOUR, limit: config.limits.holdsPerIpPerHour },
          ],
        }),
      ],
      controllers: [HealthController, MetricsController, OnlineBookingController],
      providers: [
        { provide: BookingConfig, useValue: config },
        { provide: LOGGER, useValue: logger },
        CoreApiClient,
        AbuseGuard,
        OnlineBookingService,
      ],
      exports: [BookingConfig, LOGGER],
    };
  }
}
