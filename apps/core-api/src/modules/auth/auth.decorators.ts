import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { BranchRow } from '../branches/branch.view';
import type { Principal, Role } from './principal';

export const PUBLIC_ROUTE = 'chairbook:public';
export const MINIMUM_ROLE = 'chairbook:minimum-role';
export const CACHED_TENANT_BRANCH = 'chairbook:cached-tenant-branch';

/** No credential needed (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export interface RoleRequirement {
  minimum: Exclude<Role, 'SERVICE'>;
  /** The booking site's service credential may call this route too. */
  service?: boolean;
}

/** The least role allowed to call a route (reads default to every role). */
export const RequireRole = (minimum: RoleRequirement['minimum'], options: { service?: boolean } = {}) =>
  SetMetadata(MINIMUM_ROLE, { minimum, service: options.service ?? false } satisfies RoleRequirement);

/**
 * TenancyGuard may take this route's branch from memory (BranchRowCache) instead of reading it:
 * for handlers that compare the business's calendar version inside their own transaction and
 * start again with the branch read afresh when it moved (the booking path, see
 * CreateBookingUseCase), which saves the request a round trip to the database.
 */
export const CachedTenantBranch = () => SetMetadata(CACHED_TENANT_BRANCH, true);

/** The authenticated caller. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});

/**
 * The branch row of the path's `branchId`, as TenancyGuard read it when it checked the branch
 * belongs to the caller's business (undefined on routes without a branch).
 */
export const TenantBranch = createParamDecorator((_: unknown, ctx: ExecutionContext): BranchRow | undefined => {
  return ctx.switchToHttp().getRequest<{ tenantBranch?: BranchRow }>().tenantBranch;
});
