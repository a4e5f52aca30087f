import { randomBytes } from 'node:crypto';
import { ApiError } from '@chairbook/platform';
import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { CoreApiConfig } from '../../config/core-api.config';
import { PUBLIC_ROUTE } from './auth.decorators';
import { CredentialCache } from './credential-cache';
import { hashPassword, verifyPassword } from './password';
import type { Principal, Role } from './principal';

type AuthRequest = {
  url?: string;
  headers: Record<string, string | undefined>;
  params?: Record<string, string>;
  principal?: Principal;
};

/**
 * Hashes of headers verified as the booking site's SERVICE credential: that one credential
 * carries every online customer's requests, so it gets its own, higher rate limit.
 */
export const serviceCredentialKeys = new Set<string>();

/** Operations endpoints stay open for load balancers, scrapers and readers of the docs. */
const OPEN_PATHS = /^\/(health|metrics|docs)(\/|\?|-json|$)/;

const challenge = () =>
  new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'Send HTTP Basic credentials: username global/<email> and your API password', {
    wwwAuthenticate: 'Basic realm="Chairbook", charset="UTF-8"',
  });

/**
 * HTTP Basic on every API route. The username is `global/<email>` (the bare email is accepted
 * too). A credential is verified with the slow hash once, then remembered briefly. The caller
 * only ever reaches its own business: another business's id answers 404, exactly like an id
 * that does not exist, so ids cannot be probed.
 */
@Injectable()
export class BasicAuthGuard implements CanActivate {
  readonly cache: CredentialCache;

  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    config: CoreApiConfig,
  ) {
    this.cache = new CredentialCache(config.auth.cacheTtlMs);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    if (isPublic || OPEN_PATHS.test(request.url ?? '')) return true;
    request.principal = await this.authenticate(request.headers['authorization']);
    const businessId = request.params?.['businessId'];
    if (businessId === undefined) return true;
    if (request.principal.role === 'SERVICE') {
      // The booking site acts for any salon, on the few routes that allow it (RolesGuard).
      const exists: unknown[] = await this.dataSource.query('SELECT id FROM business WHERE id = ?', [businessId]);
      if (!exists.length) throw ApiError.notFound('Business');
      return true;
    }
    if (businessId !== request.principal.businessId) throw ApiError.notFound('Business');
    return true;
  }

  async authenticate(header: string | undefined): Promise<Principal> {
    if (!header || !/^Basic [A-Za-z0-9+/=]{4,1024}$/.test(header)) throw challenge();
    const key = CredentialCache.keyOf(header);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const principal = await this.cache.verifyOnce(key, () => this.verify(header));
    if (principal.role === 'SERVICE') serviceCredentialKeys.add(key);
    return principal;
  }

  /** The slow part: the user's row and the password hash. */
  private async verify(header: string): Promise<Principal> {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw challenge();
    const username = decoded.slice(0, colon).trim();
    const password = decoded.slice(colon + 1);
    const email = (username.toLowerCase().startsWith('global/') ? username.slice(7) : username).toLowerCase();
    const rows: { id: string; business_id: string | null; email: string; role: Role; staff_id: string | null; password_hash: string; version: number }[] =
      await this.dataSource.query('SELECT id, business_id, email, role, staff_id, password_hash, version FROM api_user WHERE email = ? AND archived = 0', [email]);
    const user = rows[0];
    // Verify even when the user is unknown, so response time does not reveal which emails exist.
    const ok = await verifyPassword(user?.password_hash ?? (await unknownUserHash()), password);
    if (!user || !ok) throw challenge();
    return { userId: user.id, businessId: user.business_id, email: user.email, role: user.role, staffId: user.staff_id, version: user.version };
  }
}

// A hash of a random password nobody knows, checked for unknown users so that timing is equal.
let unknownUser: Promise<string> | undefined;
function unknownUserHash(): Promise<string> {
  unknownUser ??= hashPassword(randomBytes(24).toString('base64'));
  return unknownUser;
}
