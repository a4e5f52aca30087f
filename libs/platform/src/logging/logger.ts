import type { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { currentRequestId } from './request-context';

export type { Logger } from 'pino';

/** Structured JSON logs on stdout, each line stamped with the service and the current request id. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    redact: { paths: ['*.password', '*.authorization', 'req.headers.authorization'], censor: '***' },
  });
}

/** Lets Nest's own messages (bootstrap, route mapping, errors) go through the same pino logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    this.logger.info(this.fields(context), this.text(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ ...this.fields(context), ...(trace ? { stack: trace } : {}) }, this.text(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn(this.fields(context), this.text(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug(this.fields(context), this.text(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace(this.fields(context), this.text(message));
  }
  fatal(message: unknown, context?: string) {
    this.logger.fatal(this.fields(context), this.text(message));
  }

  private fields(context?: string) {
    return context ? { context } : {};
  }
  private text(message: unknown): string {
    if (message instanceof Error) return message.message;
    return typeof message === 'string' ? message : JSON.stringify(message);
  }
}

/** Injection token for the process's pino logger. */
export const LOGGER = Symbol.for('chairbook.logger');
