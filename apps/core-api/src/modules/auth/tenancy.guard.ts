import { ApiError } from '@chairbook/platform';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { BranchRowCache } from '../branches/branch-row.cache';
import { BRANCH_WITH_CALENDAR_VERSION, BranchRow } from '../branches/branch.view';
import { CACHED_TENANT_BRANCH } from './auth.decorators';
import type { Principal } from './principal';

/**
 * Which table each id in a route path lives in. Every id parameter of every route must be
 * listed here (the tenant-isolation sweep test fails on one that is not), so that an id of
 * another business is a 404 before any validation, handler or query runs.
 */
export const PATH_ID_TABLES: Record<string, readonly string[]> = {
  branchId: ['branch'],
  staffId: ['staff'],
  serviceId: ['service'],
  clientId: ['client'],
  roomId: ['room'],
  machineId: ['machine'],
  userId: ['api_user'],
  staffCategoryId: ['staff_category'],
  breakId: ['staff_break'],
  timeOffId: ['staff_time_off'],
  appointmentId: ['appointment'],
  bookingId: ['booking'],
  // Phorest calls both service and client categories `categoryId`.
  categoryId: ['service_category', 'client_category'],
  productId: ['product'],
  taxRateId: ['tax_rate'],
  tillId: ['till'],
  purchaseId: ['purchase'],
  voucherId: ['voucher'],
  jobId: ['csv_export_job'],
};

type TenancyRequest = { principal?: Principal; params?: Record<string, string>; tenantBranch?: BranchRow };

@Injectable()
export class TenancyGuard implements CanActivate {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
    private readonly branches: BranchRowCache,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<TenancyRequest>();
    const principal = request.principal;
    const params = request.params ?? {};
    if (!principal) return true;
    // A SERVICE credential acts for the business in the path (checked by BasicAuthGuard).
    const businessId = principal.businessId ?? params['businessId'];
    if (!businessId) return true;
    for (const [name, value] of Object.entries(params)) {
      const tables = PATH_ID_TABLES[name];
      if (!tables) continue;
      // Malformed ids are left to the IdPipe (400); only well-formed ones are looked up.
      if (!/^[A-Za-z0-9_-]{22}$/.test(value)) continue;
      const owned =
        name === 'branchId' ? await this.branch(request, value, businessId, this.reflector.get<boolean>(CACHED_TENANT_BRANCH, context.getHandler()) === true) : await this.ownedBy(tables, value, businessId);
      if (!owned) throw ApiError.notFound(name.replace(/Id$/, '').replace(/^./, (c) => c.toUpperCase()));
    }
    return true;
  }

  /**
   * The branch is read whole and kept on the request (see TenantBranch): handlers need not read
   * it again. Every read refreshes BranchRowCache; routes marked `@CachedTenantBranch()` take
   * the row from it when it is there.
   */
  private async branch(request: TenancyRequest, id: string, businessId: string, cached: boolean): Promise<boolean> {
    const hit = cached ? this.branches.get(id, businessId) : undefined;
    if (hit) {
      request.tenantBranch = hit;
      return true;
    }
    const rows: BranchRow[] = await this.dataSource.query(BRANCH_WITH_CALENDAR_VERSION, [id, businessId]);
    if (!rows.length) return false;
    this.branches.remember(rows[0]);
    request.tenantBranch = rows[0];
    return true;
  }

  private async ownedBy(tables: readonly string[], id: string, businessId: string): Promise<boolean> {
    const sql = tables.map((t) => `SELECT 1 FROM ${t} WHERE id = ? AND business_id = ?`).join(' UNION ALL ');
    const rows: unknown[] = await this.dataSource.query(`${sql} LIMIT 1`, tables.flatMap(() => [id, businessId]));
    return rows.length > 0;
  }
}
