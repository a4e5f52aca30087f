import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError, timeout, TimeoutError } from 'rxjs';
import { ApiError } from './api-error';

/**
 * No request waits forever: past `ms` (a slow database, a stuck lock) the caller gets a 503
 * to retry, instead of a hanging connection that ties up a load balancer slot.
 */
@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  constructor(private readonly ms: number) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      timeout(this.ms),
      catchError((err: unknown) =>
        throwError(() =>
          err instanceof TimeoutError ? Object.assign(new ApiError(503, 'TIMEOUT', 'The request took too long; retry shortly'), { retryAfterSeconds: 2 }) : err,
        ),
      ),
    );
  }
}
