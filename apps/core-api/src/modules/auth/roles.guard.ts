import { ApiError } from '@chairbook/platform';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MINIMUM_ROLE, PUBLIC_ROUTE, RoleRequirement } from './auth.decorators';
import { hasRole, Principal } from './principal';

/** Enforces @RequireRole; routes without it are readable by every salon role (not SERVICE). */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (!principal) return true; // an open operations route (see BasicAuthGuard)
    const requirement = this.reflector.getAllAndOverride<RoleRequirement | undefined>(MINIMUM_ROLE, [context.getHandler(), context.getClass()]) ?? {
      minimum: 'STYLIST',
      service: false,
    };
    if (!hasRole(principal, requirement.minimum, requirement.service ?? false)) {
      throw ApiError.forbidden(`This needs the ${requirement.minimum} role or higher`);
    }
    return true;
  }
}
