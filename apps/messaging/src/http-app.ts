import { configureHttpApp, createLogger, NestPinoLogger } from '@chairbook/platform';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { MessagingConfig } from './config/messaging.config';

/** Builds the messaging service (not listening yet), for main.ts and the tests alike. */
export async function createMessagingApp(config: MessagingConfig, logger: Logger = createLogger('messaging', config.logLevel)): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config, logger),
    new FastifyAdapter({ bodyLimit: 1_048_576, trustProxy: true }),
    { logger: new NestPinoLogger(logger) },
  );
  configureHttpApp(app, logger);
  return app;
}
