import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from 'pino';
import { currentRequestId } from '../logging/request-context';
import { isTransientDbError } from '../database/mysql';
import { ApiErrorBody, codeForStatus, completeErrorBody } from './api-error';
import { hasTimedOut } from './request-timeout';

/** Errors raised by the HTTP platforms before Nest sees the request (body parsing, limits). */
interface PlatformError {
  statusCode?: number;
  status?: number;
  code?: string;
  type?: string;
  message?: string;
}

function platformError(error: unknown): { status: number; code: string; message: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as PlatformError;
  const status = e.statusCode ?? e.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  // express body-parser and fastify's JSON parser both report a broken body as a 400.
  if (e.type === 'entity.parse.failed' || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(e.message ?? '')) {
    return { status: 400, code: 'MALFORMED_JSON', message: 'The request body is not valid JSON' };
  }
  if (status === 413 || e.type === 'entity.too.large' || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' };
  }
  if (status === 415 || e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json' };
  }
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return { status: 400, code: 'MALFORMED_JSON', message: 'The request body is empty' };
  }
  return { status, code: codeForStatus(status), message: e.message ?? 'Bad request' };
}

/** Values the database refused: a request problem (400/409), never a 500. */
function dataError(error: unknown): { status: number; code: string; message: string } | null {
  const code = (error as { code?: string; driverError?: { code?: string } })?.driverError?.code ?? (error as { code?: string })?.code;
  switch (code) {
    case 'ER_DUP_ENTRY':
      return { status: 409, code: 'CONFLICT', message: 'That would duplicate an existing record' };
    case 'ER_BAD_NULL_ERROR':
    case 'ER_DATA_TOO_LONG':
    case 'ER_TRUNCATED_WRONG_VALUE':
    case 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD':
    case 'ER_WARN_DATA_OUT_OF_RANGE':
    case 'ER_NO_REFERENCED_ROW_2':
      return { status: 400, code: 'INVALID_VALUE', message: 'A value is missing, too long or out of range' };
    default:
      return null;
  }
}

/**
 * Turns every error into the one JSON shape (`ApiErrorBody`). Unknown errors become a 500
 * with a generic message; the details go to the log with the request id.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly logger: Logger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const adapter = this.adapterHost.httpAdapter;
    const response = ctx.getResponse();
    if (hasTimedOut(ctx.getRequest())) {
      // The request timeout already answered 503 TIMEOUT; the work that outlived it ended so.
      this.logger.debug({ err: exception }, 'request failed after it timed out');
      return;
    }
    if (adapter.isHeadersSent(response)) {
      // Nothing more can be sent (a stream failed midway); a second reply would only throw.
      this.logger.error({ err: exception }, 'request failed after its answer had started');
      return;
    }
    const requestId = currentRequestId();
    let status: number;
    let body: ApiErrorBody;

    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && 'code' in response) {
        body = { ...(response as ApiErrorBody) };
      } else {
        const message =
          typeof response === 'string'
            ? response
            : String((response as { message?: unknown }).message ?? exception.message);
        const malformedJson = status === 400 && /JSON/i.test(message);
        // Keep structured bodies (e.g. the health report's per-dependency details).
        const extra = typeof response === 'object' && response !== null && !('message' in response) ? (response as Record<string, unknown>) : {};
        body = malformedJson
          ? { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON' }
          : { ...extra, code: codeForStatus(status), message: status === 404 ? 'No such route or resource' : status === 503 ? 'A dependency is unavailable' : message };
      }
    } else if (isTransientDbError(exception)) {
      // The database is away or overloaded: the request did nothing and can be retried.
      status = HttpStatus.SERVICE_UNAVAILABLE;
      body = { code: 'SERVICE_UNAVAILABLE', message: 'The service is briefly unavailable; retry shortly', retryAfterSeconds: 2 };
    } else if (dataError(exception)) {
      const mapped = dataError(exception)!;
      status = mapped.status;
      body = { code: mapped.code, message: mapped.message };
    } else {
      const mapped = platformError(exception);
      if (mapped) {
        status = mapped.status;
        body = { code: mapped.code, message: mapped.message };
      } else {
        status = HttpStatus.INTERNAL_SERVER_ERROR;
        body = { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side; quote the request id to support' };
      }
    }
    if (status >= 500) {
      this.logger.error({ err: exception, status }, 'request failed');
    }
    // Phorest's error fields too, so integrations that read `detail`/`errorCode` keep working.
    completeErrorBody(body, status, requestId);

    const retryAfter = (exception as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (retryAfter !== undefined && body['retryAfterSeconds'] === undefined) body['retryAfterSeconds'] = retryAfter;
    if (typeof body['wwwAuthenticate'] === 'string') {
      adapter.setHeader(response, 'WWW-Authenticate', body['wwwAuthenticate']);
      delete body['wwwAuthenticate'];
    }
    if (body['retryAfterSeconds'] !== undefined) {
      adapter.setHeader(response, 'Retry-After', String(body['retryAfterSeconds']));
    }
    adapter.reply(response, body, status);
  }
}
