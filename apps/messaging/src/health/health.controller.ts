import { RabbitMqHealthIndicator } from '@chairbook/platform';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { EMAIL_PROVIDER, SMS_PROVIDER } from '../channels/provider.types';
import type { EmailProvider, ProviderHealth, SmsProvider } from '../channels/provider.types';
import { DEAD_LETTER_QUEUE, DeadLetterMonitor } from './dead-letter-monitor';

/**
 * Readiness (`/health`): 200 when the database, the broker and both providers answer, 503
 * naming what is down. Provider checks are remembered for 10 s so load-balancer probes do not
 * hammer the SMS API or the SMTP relay. The dead-letter queue's depth is reported (never a
 * reason for 503: the service still sends; the alarm on the metric pages a person).
 * Liveness (`/health/live`): 200 while the process can answer at all.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  private readonly remembered = new Map<string, { at: number; result: Promise<ProviderHealth> }>();

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly broker: RabbitMqHealthIndicator,
    private readonly deadLetters: DeadLetterMonitor,
    @Inject(SMS_PROVIDER) private readonly sms: SmsProvider,
    @Inject(EMAIL_PROVIDER) private readonly email: EmailProvider,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1_500 }),
      () => this.broker.check('broker'),
      () => this.provider('sms', this.sms.name, () => this.sms.check()),
      () => this.provider('email', this.email.name, () => this.email.check()),
      () => {
        const session = this.indicators.check('deadLetters');
        return session.up({ queue: DEAD_LETTER_QUEUE, depth: this.deadLetters.depth, ...(this.deadLetters.error ? { error: this.deadLetters.error } : {}) });
      },
    ]);
  }

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  private async provider(key: string, name: string, check: () => Promise<ProviderHealth>) {
    const session = this.indicators.check(key);
    let entry = this.remembered.get(key);
    if (!entry || Date.now() - entry.at > 10_000) {
      entry = { at: Date.now(), result: check() };
      this.remembered.set(key, entry);
    }
    const result = await entry.result;
    return result.up ? session.up({ provider: name, ...(result.detail ? { detail: result.detail } : {}) }) : session.down({ provider: name, message: result.detail ?? 'unreachable' });
  }
}
