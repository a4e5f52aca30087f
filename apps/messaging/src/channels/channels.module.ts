import { LOGGER } from '@chairbook/platform';
import { Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { MessagingConfig } from '../config/messaging.config';
import { EMAIL_PROVIDER, SMS_PROVIDER } from './provider.types';
import { createEmailProvider, createSmsProvider } from './provider.factory';

/** The configured SMS and email adapters (SMS_PROVIDER, EMAIL_PROVIDER). */
@Global()
@Module({
  providers: [
    { provide: SMS_PROVIDER, inject: [MessagingConfig, LOGGER], useFactory: (config: MessagingConfig, logger: Logger) => createSmsProvider(config, logger) },
    { provide: EMAIL_PROVIDER, inject: [MessagingConfig, LOGGER], useFactory: (config: MessagingConfig, logger: Logger) => createEmailProvider(config, logger) },
  ],
  exports: [SMS_PROVIDER, EMAIL_PROVIDER],
})
export class ChannelsModule {}
