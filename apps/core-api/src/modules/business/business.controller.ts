import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { API_ROOT, BUSINESS_PATH } from '../../shared/http/api-paths';
import { EtagInterceptor } from '../../shared/http/etag.interceptor';
import { PageQuery, pageOf } from '../../shared/http/paging';
import { iso } from '../../shared/http/versioning';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';

interface BusinessRow {
  id: string;
  name: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const businessView = (b: BusinessRow) => ({ businessId: b.id, name: b.name, version: b.version, createdAt: iso(b.created_at), updatedAt: iso(b.updated_at) });

@ApiTags('business')
@ApiBasicAuth()
@Controller()
export class BusinessController {
  constructor(private readonly dataSource: DataSource) {}

  /** Our addition to Phorest's API: a new integrator finds its business id here. */
  @Get(API_ROOT)
  @ApiOperation({ summary: 'The businesses this credential belongs to' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery) {
    const rows: BusinessRow[] = principal.businessId ? await this.dataSource.query('SELECT * FROM business WHERE id = ?', [principal.businessId]) : [];
    return pageOf('businesses', rows.slice(query.page * query.size, query.page * query.size + query.size).map(businessView), rows.length, query);
  }

  /** Our addition: who a credential is (other Chairbook services verify callers with it). */
  @Get('third-party-api-server/api/principal')
  @ApiOperation({ summary: 'The user this credential belongs to: business, role, email' })
  principal(@CurrentPrincipal() principal: Principal) {
    return { userId: principal.userId, businessId: principal.businessId, email: principal.email, role: principal.role, staffId: principal.staffId };
  }

  @Get(BUSINESS_PATH)
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'Get the business' })
  async get(@Param('businessId') businessId: string) {
    const rows: BusinessRow[] = await this.dataSource.query('SELECT * FROM business WHERE id = ?', [businessId]);
    return businessView(rows[0]);
  }
}
