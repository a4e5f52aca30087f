import 'reflect-metadata';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { BranchRowCache } from '../branches/branch-row.cache';
import type { BranchRow } from '../branches/branch.view';
import { CACHED_TENANT_BRANCH } from './auth.decorators';
import { TenancyGuard } from './tenancy.guard';

const BIZ = 'B'.repeat(22);
const BRANCH = 'R'.repeat(22);
const branchRow = { id: BRANCH, business_id: BIZ, calendar_version: '3', time_zone: 'Europe/Dublin' } as BranchRow;

function setUp(rows: BranchRow[] = [branchRow]) {
  const query = jest.fn(async () => rows);
  const cache = new BranchRowCache();
  const guard = new TenancyGuard({ query } as unknown as DataSource, new Reflector(), cache);
  const call = async (handler: () => void, businessId = BIZ) => {
    const request: { principal: unknown; params: Record<string, string>; tenantBranch?: BranchRow } = { principal: { businessId, role: 'OWNER' }, params: { businessId, branchId: BRANCH } };
    const context = { getType: () => 'http', getHandler: () => handler, switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
    await guard.canActivate(context);
    return request.tenantBranch;
  };
  return { query, cache, call };
}

const plainRoute = () => undefined;
const cachedRoute = () => undefined;
Reflect.defineMetadata(CACHED_TENANT_BRANCH, true, cachedRoute);

describe('TenancyGuard: the branch of the path', () => {
  it('reads the branch on every plain route and keeps each read in the cache', async () => {
    const { query, cache, call } = setUp();
    expect(await call(plainRoute)).toBe(branchRow);
    expect(await call(plainRoute)).toBe(branchRow);
    expect(query).toHaveBeenCalledTimes(2);
    expect(cache.get(BRANCH, BIZ)).toBe(branchRow);
  });

  it('takes the branch from the cache on a @CachedTenantBranch route, reading it only on a miss', async () => {
    const { query, call } = setUp();
    expect(await call(cachedRoute)).toBe(branchRow);
    expect(await call(cachedRoute)).toBe(branchRow);
    expect(await call(cachedRoute)).toBe(branchRow);
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('never lets a cached branch answer for another business: that is a read, and a 404', async () => {
    // the database finds no such branch for the other business
    const { query, cache, call } = setUp([]);
    cache.remember(branchRow);
    const other = 'O'.repeat(22);
    await expect(call(cachedRoute, other)).rejects.toMatchObject({ status: 404 });
    expect(query).toHaveBeenCalledWith(expect.any(String), [BRANCH, other]);
    expect(await call(cachedRoute)).toBe(branchRow);
    expect(query).toHaveBeenCalledTimes(1);
  });
});
