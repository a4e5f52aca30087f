import { RabbitMqHealthIndicator } from '@chairbook/platform';
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';

/**
 * Readiness (`/health`): 200 when the database and the broker answer, 503 naming what is down.
 * Liveness (`/health/live`): 200 while the process can answer at all, so an orchestrator does
 * not restart a healthy process just because MySQL blinked.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly broker: RabbitMqHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1_500 }),
      () => this.broker.check('broker'),
    ]);
  }

  @Get('live')
  live() {
    return { status: 'ok' };
  }
}
