import { RabbitMqHealthIndicator } from '@chairbook/platform';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DeadLetterMonitor } from './dead-letter-monitor';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [RabbitMqHealthIndicator, DeadLetterMonitor],
})
export class HealthModule {}
