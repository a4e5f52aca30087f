import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { RabbitMqClient } from './rabbitmq-client';

@Injectable()
export class RabbitMqHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly client: RabbitMqClient,
  ) {}

  check(key = 'broker'): HealthIndicatorResult {
    const session = this.health.check(key);
    const status = this.client.status();
    return status.connected ? session.up() : session.down({ message: status.error ?? 'not connected' });
  }
}
