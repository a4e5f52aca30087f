import { configureHttpApp, createLogger, NestPinoLogger } from '@chairbook/platform';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { MessagingConfig } from './config/messaging.config';

/** Builds the messaging service (not listening yet), for main.ts and the tests alike. */
export async function createMessagingApp(config: MessagingConfig, logger: Logger = createLogger('messaging', config.logLevel)): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: 1_048_576, trustProxy: true, routerOptions: { maxParamLength: 1024 } });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, logger), adapter, { logger: new NestPinoLogger(logger) });
  configureHttpApp(app, logger, { requestTimeoutMs: config.http.requestTimeoutMs });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Chairbook messaging')
      .setDescription(
        'SMS and email for salons: settings, templates, campaigns and the message log under /messaging/business/{businessId}/…, ' +
          'authenticated with the same HTTP Basic credentials as the core API. Lists page with page/size (max 100). ' +
          'Provider webhooks under /messaging/webhooks/…, email unsubscribe under /messaging/unsubscribe/….',
      )
      .setVersion('1.0')
      .addBasicAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Chairbook messaging' });
  return app;
}
