import { configureHttpApp, createLogger, NestPinoLogger } from '@chairbook/platform';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { BookingConfig } from './config/booking.config';
import { installWebPages } from './web/web-pages';

/** Builds the booking service (not listening yet), for main.ts and the tests alike. */
export async function createBookingApp(config: BookingConfig, logger: Logger = createLogger('booking', config.logLevel)): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, logger), {
    logger: new NestPinoLogger(logger),
    bodyParser: true,
  });
  app.set('trust proxy', 1);
  app.disable('x-powered-by');
  configureHttpApp(app, logger, { requestTimeoutMs: config.http.requestTimeoutMs });
  installWebPages(app, config.webDir);
  return app;
}
