import { ApiError } from '@chairbook/platform';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerException, ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { CoreApiConfig } from '../../config/core-api.config';
import { BasicAuthGuard, serviceCredentialKeys } from './basic-auth.guard';
import { CredentialCache } from './credential-cache';
import { RolesGuard } from './roles.guard';
import { SharedThrottlerStorage } from './shared-throttler-storage';
import { TenancyGuard } from './tenancy.guard';

/**
 * Phorest allows 100 requests per second per credential; so do we (429 with Retry-After),
 * across every copy of core-api (SharedThrottlerStorage).
 */
class CredentialThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: { headers: Record<string, string | undefined>; ip?: string }): Promise<string> {
    const header = req.headers['authorization'];
    return header ? `cred:${CredentialCache.keyOf(header)}` : `ip:${req.ip ?? 'unknown'}`;
  }

  // One count per credential across every route (the library's default key adds the route,
  // which would give a credential 100/s on each route instead of 100/s in all).
  protected override generateKey(_context: unknown, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(): Promise<void> {
    throw Object.assign(new ApiError(429, 'RATE_LIMITED', 'Too many requests for this credential; slow down and retry after the time in Retry-After'), {
      cause: new ThrottlerException(),
    });
  }
}

@Module({ providers: [SharedThrottlerStorage], exports: [SharedThrottlerStorage] })
class RateLimitStorageModule {}

@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [CoreApiConfig, SharedThrottlerStorage],
      useFactory: (config: CoreApiConfig, storage: SharedThrottlerStorage) => ({
        storage,
        throttlers: [
          {
            name: 'default',
            ttl: 1_000,
            limit: (context) => {
              const header = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers['authorization'];
              return header && serviceCredentialKeys.has(CredentialCache.keyOf(header)) ? config.auth.serviceRateLimitPerSecond : config.auth.rateLimitPerSecond;
            },
          },
        ],
        // Health and metrics stay reachable for load balancers and scrapers.
        skipIf: (context) => {
          const url: string = context.switchToHttp().getRequest<{ url?: string }>().url ?? '';
          return url.startsWith('/health') || url.startsWith('/metrics');
        },
      }),
    }),
  ],
  providers: [
    BasicAuthGuard,
    { provide: APP_GUARD, useClass: CredentialThrottlerGuard },
    { provide: APP_GUARD, useExisting: BasicAuthGuard },
    { provide: APP_GUARD, useClass: TenancyGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [BasicAuthGuard],
})
export class AuthModule {}
