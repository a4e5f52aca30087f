import { ApiError, LOGGER } from '@chairbook/platform';
import { CanActivate, createParamDecorator, ExecutionContext, HttpStatus, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { MessagingConfig } from '../config/messaging.config';
import { atLeast, Principal } from './principal';

type AuthRequest = { headers: Record<string, string | undefined>; params?: Record<string, string>; principal?: Principal };

const MIN_ROLE = 'messaging:min-role';
/** The least role a route needs (default: any salon user). */
export const MinRole = (role: 'STYLIST' | 'RECEPTION' | 'MANAGER' | 'OWNER') => SetMetadata(MIN_ROLE, role);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthRequest>().principal);

const challenge = () =>
  new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'Send the same HTTP Basic credentials as for the core API (username global/<email>)', {
    wwwAuthenticate: 'Basic realm="Chairbook", charset="UTF-8"',
  });

/**
 * The salon routes take core-api's own Basic credentials. Messaging holds no passwords: it asks
 * core-api who the caller is (GET /principal with the caller's header) and remembers the answer
 * briefly, keyed by the SHA-256 of the header (never the header itself), so a busy screen costs
 * core-api one call per credential per TTL. A password change reaches every copy through the
 * credentials-changed broadcast and drops that user's entries.
 */
@Injectable()
export class CoreApiAuthGuard implements CanActivate {
  private readonly cache = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(
    private readonly config: MessagingConfig,
    private readonly reflector: Reflector,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const principal = await this.authenticate(request.headers['authorization']);
    request.principal = principal;
    if (principal.role === 'SERVICE') throw ApiError.forbidden('Service credentials cannot use the messaging routes');
    // Another business's id is indistinguishable from one that does not exist.
    const businessId = request.params?.['businessId'];
    if (businessId !== undefined && businessId !== principal.businessId) throw ApiError.notFound('Business');
    const role = this.reflector.getAllAndOverride<'STYLIST' | 'RECEPTION' | 'MANAGER' | 'OWNER' | undefined>(MIN_ROLE, [context.getHandler(), context.getClass()]);
    if (role && !atLeast(principal, role)) throw ApiError.forbidden();
    return true;
  }

  forgetUser(userId: string): void {
    for (const [key, entry] of this.cache) if (entry.principal.userId === userId) this.cache.delete(key);
  }

  clear(): void {
    this.cache.clear();
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    if (!header || !/^Basic [A-Za-z0-9+/=]{4,1024}$/.test(header)) throw challenge();
    const key = createHash('sha256').update(header).digest('base64url');
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;
    this.cache.delete(key);
    let response: Response;
    try {
      response = await fetch(`${this.config.coreApiUrl.replace(/\/$/, '')}/third-party-api-server/api/principal`, {
        headers: { authorization: header, accept: 'application/json' },
        signal: AbortSignal.timeout(3_000),
      });
    } catch (err) {
      this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'core-api unreachable for authentication');
      throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'AUTH_UNAVAILABLE', 'Cannot verify credentials right now; try again shortly');
    }
    if (response.status === 401 || response.status === 403) throw challenge();
    if (!response.ok) throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'AUTH_UNAVAILABLE', `Cannot verify credentials right now (core-api answered ${response.status})`);
    const principal = (await response.json()) as Principal;
    if (this.cache.size >= 10_000) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, { principal, expiresAt: Date.now() + this.config.auth.cacheTtlMs });
    return principal;
  }
}
