import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsOptional } from 'class-validator';
import { BRANCH_PATH } from '../../shared/http/api-paths';
import { EtagInterceptor } from '../../shared/http/etag.interceptor';
import { IdPipe } from '../../shared/http/id.pipe';
import { PageQuery } from '../../shared/http/paging';
import { BooleanQuery } from '../../shared/http/query-flags';
import { RequireRole } from '../auth/auth.decorators';
import { CreateStaffDto, UpdateStaffDto } from './dto/staff.dto';
import { StaffService } from './staff.service';

class StaffListQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00.000Z', description: 'Only staff changed after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedAfter?: string;

  @ApiPropertyOptional({ example: '2026-12-31T00:00:00.000Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedBefore?: string;

  @ApiPropertyOptional({ name: 'fetch_archived', description: 'Include archived staff' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  fetch_archived?: boolean;
}

const STAFF = `${BRANCH_PATH}/staff`;
const ONE = `${STAFF}/:staffId`;

@ApiTags('staff')
@ApiBasicAuth()
@Controller()
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Get(STAFF)
  @RequireRole('STYLIST', { service: true })
  @ApiOperation({ summary: 'List the branch’s staff (_embedded.staffs); each with roles (the reference’s: its staff category’s name, [] without one)' })
  list(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Query() query: StaffListQuery) {
    return this.staff.list(businessId, branchId, { ...query, fetchArchived: query.fetch_archived });
  }

  @Get(ONE)
  @RequireRole('STYLIST', { service: true })
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'Get a staff member, with roles (the staff category’s name) (ETag; 304 on If-None-Match)' })
  get(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Param('staffId', new IdPipe('staffId')) staffId: string) {
    return this.staff.get(businessId, branchId, staffId);
  }

  @Post(STAFF)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Add a staff member, with the services they may do' })
  create(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Body() dto: CreateStaffDto) {
    return this.staff.create(businessId, branchId, dto);
  }

  @Put(ONE)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Update a staff member; send the version you read (409 when stale)' })
  update(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('staffId', new IdPipe('staffId')) staffId: string,
    @Body() dto: UpdateStaffDto,
  ) {
    return this.staff.update(businessId, branchId, staffId, dto);
  }

  @Delete(ONE)
  @HttpCode(204)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Archive a staff member (their appointments stay)' })
  archive(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Param('staffId', new IdPipe('staffId')) staffId: string) {
    return this.staff.archive(businessId, branchId, staffId);
  }
}
