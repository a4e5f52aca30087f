import { ApiError, currentRequestId, REQUEST_ID_HEADER } from '@chairbook/platform';
import { Inject, Injectable } from '@nestjs/common';
import { LOGGER } from '@chairbook/platform';
import type { Logger } from 'pino';
import { BookingConfig } from '../config/booking.config';

export const API = '/third-party-api-server/api';

/** An answer from core-api that was not 2xx, with its JSON body. */
export class CoreApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { code?: string; message?: string; fields?: { field: string; message: string }[] },
    readonly retryAfter?: string,
  ) {
    super(`core-api answered ${status} ${body.code ?? ''}`);
    this.name = 'CoreApiError';
  }
}

/**
 * core-api over HTTP with the booking site's own SERVICE credential. Errors come back as
 * CoreApiError for the caller to translate; an unreachable or slow core-api is a 503 the page
 * can explain ("try again in a moment"), never a hang.
 */
@Injectable()
export class CoreApiClient {
  private readonly authorization: string;

  constructor(
    private readonly config: BookingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const { user, password } = config.coreApiCredential;
    this.authorization = `Basic ${Buffer.from(`global/${user}:${password}`).toString('base64')}`;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.request<T>('POST', path, body, headers);
  }

  private async request<T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: this.authorization, accept: 'application/json', ...extra };
    const requestId = currentRequestId();
    if (requestId) headers[REQUEST_ID_HEADER] = requestId;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.config.coreApiUrl}${API}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.coreApiTimeoutMs),
      });
    } catch (err) {
      this.logger.warn({ err: err instanceof Error ? err.message : String(err), method, path: path.replace(/[A-Za-z0-9_-]{22}/g, ':id') }, 'core-api unreachable');
      throw unavailable();
    }
    const text = await response.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) return json as T;
    if (response.status >= 500 || response.status === 401 || response.status === 403) {
      // Our own credential or core-api is at fault, not the customer: log it, show a retry message.
      this.logger.error({ status: response.status, method, code: (json as { code?: string })?.code }, 'core-api refused the booking site');
      throw unavailable();
    }
    throw new CoreApiError(response.status, (json as CoreApiError['body']) ?? {}, response.headers.get('retry-after') ?? undefined);
  }
}

export function unavailable(): ApiError {
  return new ApiError(503, 'TEMPORARILY_UNAVAILABLE', 'Online booking is having a moment; please try again in a minute');
}
