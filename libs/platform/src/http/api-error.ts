import { HttpException, HttpStatus } from '@nestjs/common';

/** One field-level problem: which input was wrong and why. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * The JSON body of every error the services answer: a stable machine `code`, a human
 * `message`, the offending `fields` when input was at fault, and the request id to quote to
 * support. Stack traces never leave the process.
 */
export interface ApiErrorBody {
  code: string;
  message: string;
  fields?: FieldError[];
  requestId?: string;
  [extra: string]: unknown;
}

/**
 * Adds the fields every error body carries besides `code` and `message`: the request id, and
 * Phorest's `statusCode`/`errorCode`/`detail`/`id` (integrations written against Phorest read those).
 */
export function completeErrorBody(body: ApiErrorBody, status: number, requestId: string | undefined): ApiErrorBody {
  if (requestId) body.requestId = requestId;
  body.statusCode = status;
  body.errorCode ??= body.code;
  body.detail ??= body.message;
  if (requestId) body.id ??= requestId;
  return body;
}

/** Throw this from anywhere to answer `status` with a stable code. */
export class ApiError extends HttpException {
  constructor(status: number, code: string, message: string, extra: Omit<ApiErrorBody, 'code' | 'message'> = {}) {
    super({ ...extra, code, message }, status);
  }

  static badRequest(code: string, message: string, fields?: FieldError[]) {
    return new ApiError(HttpStatus.BAD_REQUEST, code, message, fields ? { fields } : {});
  }
  static notFound(what = 'Resource') {
    return new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} not found`);
  }
  static conflict(code: string, message: string, extra: Omit<ApiErrorBody, 'code' | 'message'> = {}) {
    return new ApiError(HttpStatus.CONFLICT, code, message, extra);
  }
  static forbidden(message = 'Your role does not allow this') {
    return new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', message);
  }
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

export function codeForStatus(status: number): string {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}
