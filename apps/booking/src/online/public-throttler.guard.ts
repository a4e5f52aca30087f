import { ApiError } from '@chairbook/platform';
import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';

/**
 * Per-address limits on /book/api (@nestjs/throttler, in this copy's memory): `ip` counts every
 * call of an address across all routes, `holds` only the holds it starts. Past either: 429
 * with Retry-After and a message the page shows as it is.
 */
@Injectable()
export class PublicThrottlerGuard extends ThrottlerGuard {
  /** One counter per address and throttler, whichever route is called. */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    // The in-memory storage counts these in seconds.
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire || detail.timeToExpire));
    context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>().setHeader('Retry-After', String(seconds));
    const message = detail.key.startsWith('holds:')
      ? 'That is a lot of booking attempts from one connection. Please wait a while before trying again, or call the salon.'
      : 'You are going a little fast for us. Please wait a moment and try again.';
    throw Object.assign(new ApiError(429, 'RATE_LIMITED', message, { retryAfterSeconds: seconds }), { cause: new ThrottlerException() });
  }
}
