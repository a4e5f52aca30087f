import { LOGGER } from '@chairbook/platform';
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { CoreApiConfig } from './core-api.config';

/** Makes the validated config and the process logger injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static register(config: CoreApiConfig, logger: Logger): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: CoreApiConfig, useValue: config },
        { provide: LOGGER, useValue: logger },
      ],
      exports: [CoreApiConfig, LOGGER],
    };
  }
}
