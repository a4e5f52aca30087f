import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { BRANCH_PATH, BUSINESS_PATH } from '../../shared/http/api-paths';
import { EtagInterceptor } from '../../shared/http/etag.interceptor';
import { IdPipe } from '../../shared/http/id.pipe';
import { PageQuery } from '../../shared/http/paging';
import { BooleanQuery } from '../../shared/http/query-flags';
import { RequireRole } from '../auth/auth.decorators';
import { openingHoursList } from './branch.view';
import { BranchesService } from './branches.service';
import { CreateBranchDto, UpdateBranchDto } from './dto/branch.dto';

class BranchListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Include archived branches' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  includeArchived?: boolean;
}

@ApiTags('branches')
@ApiBasicAuth()
@Controller()
export class BranchesController {
  constructor(private readonly branches: BranchesService) {}

  @Get(`${BUSINESS_PATH}/branch`)
  @ApiOperation({ summary: 'List the business’s branches; each with timeZone (also as the reference’s timezone) and its address lines (also as one string, address)' })
  list(@Param('businessId') businessId: string, @Query() query: BranchListQuery) {
    return this.branches.list(businessId, query);
  }

  @Get(BRANCH_PATH)
  @RequireRole('STYLIST', { service: true })
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'Get a branch, with timezone and a one-line address beside timeZone and the address lines (ETag; 304 on If-None-Match)' })
  get(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string) {
    return this.branches.get(businessId, branchId);
  }

  @Get(`${BRANCH_PATH}/worktimetable`)
  @ApiOperation({ summary: 'The branch’s weekly opening hours (local times in its time zone)' })
  async workTimeTable(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string) {
    const row = await this.branches.require(businessId, branchId);
    return { branchId: row.id, timeZone: row.time_zone, openingHours: openingHoursList(row) };
  }

  @Post(`${BUSINESS_PATH}/branch`)
  @RequireRole('OWNER')
  @ApiOperation({ summary: 'Open a new branch (owners only)' })
  create(@Param('businessId') businessId: string, @Body() dto: CreateBranchDto) {
    return this.branches.create(businessId, dto);
  }

  @Put(BRANCH_PATH)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Update a branch; send the version you read (409 when stale)' })
  update(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string, @Body() dto: UpdateBranchDto) {
    return this.branches.update(businessId, branchId, dto);
  }

  @Delete(BRANCH_PATH)
  @HttpCode(204)
  @RequireRole('OWNER')
  @ApiOperation({ summary: 'Archive a branch (its history stays)' })
  archive(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string) {
    return this.branches.archive(businessId, branchId);
  }
}
