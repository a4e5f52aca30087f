import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from 'pino';
import { ConfigError } from '../config/env';
import { ApiExceptionFilter } from '../http/api-exception.filter';
import { installHttpObservability } from '../http/observability';
import { DEFAULT_REQUEST_TIMEOUT_MS, installRequestTimeout, SkipTimedOutRequestInterceptor } from '../http/request-timeout';
import { createValidationPipe } from '../http/validation';
import { installFastAsyncResourceBind } from '../runtime/async-resource-bind';

/**
 * Loads configuration or stops the process with one readable message naming every bad
 * variable (no stack trace: this is an operator's mistake, not a bug).
 */
export function loadConfigOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSet these environment variables (see README, "Configuration") and start again.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

/**
 * The HTTP conventions every service shares: error shape, validation, request ids, metrics, and
 * the request timeout (`REQUEST_TIMEOUT_MS`: 503 TIMEOUT that long after a request arrived,
 * guards included). Also makes AsyncResource.bind cheap (see installFastAsyncResourceBind).
 */
export function configureHttpApp(app: INestApplication, logger: Logger, options: { requestTimeoutMs?: number } = {}): void {
  installFastAsyncResourceBind();
  app.useGlobalFilters(new ApiExceptionFilter(app.get(HttpAdapterHost), logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new SkipTimedOutRequestInterceptor());
  installHttpObservability(app, logger);
  // After the request id hook, so the timeout's answer carries the request's id.
  installRequestTimeout(app, logger, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
}

/**
 * SIGTERM/SIGINT close the app through Nest's shutdown hooks (stop accepting, finish in-flight
 * work, close pools). If that takes longer than `timeoutMs`, exit anyway so an orchestrator's
 * stop never hangs.
 */
export function installShutdownDeadline(app: INestApplication, logger: Logger, timeoutMs: number): void {
  app.enableShutdownHooks();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      setTimeout(() => {
        logger.error({ timeoutMs }, 'shutdown took too long; exiting');
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
