import { LOGGER } from '@chairbook/platform';
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { MessagingConfig } from './messaging.config';

@Global()
@Module({})
export class ConfigModule {
  static register(config: MessagingConfig, logger: Logger): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: MessagingConfig, useValue: config },
        { provide: LOGGER, useValue: logger },
      ],
      exports: [MessagingConfig, LOGGER],
    };
  }
}
