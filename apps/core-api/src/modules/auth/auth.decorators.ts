import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { BranchRow } from '../branches/branch.view';
import type { Principal, Role } from './principal';

export const PUBLIC_ROUTE = 'chairbook:public';
export const MINIMUM_ROLE = 'chairbook:minimum-role';

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
