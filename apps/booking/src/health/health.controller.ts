import { checkHttpDependency } from '@chairbook/platform';
import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { BookingConfig } from '../config/booking.config';

/** Ready when core-api answers: without it no page can show a slot or take a booking. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly config: BookingConfig,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => checkHttpDependency(this.indicators, 'coreApi', `${this.config.coreApiUrl}/health/live`)]);
  }

  @Get('live')
  live() {
    return { status: 'ok' };
  }
}
