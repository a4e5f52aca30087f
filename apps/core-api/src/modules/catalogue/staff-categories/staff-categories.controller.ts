import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BRANCH_PATH } from '../../../shared/http/api-paths';
import { EtagInterceptor } from '../../../shared/http/etag.interceptor';
import { IdPipe } from '../../../shared/http/id.pipe';
import { RequireRole } from '../../auth/auth.decorators';
import { ArchivableListQuery } from '../shared/catalogue.dto';
import { CreateStaffCategoryDto, UpdateStaffCategoryDto } from './dto/staff-category.dto';
import { StaffCategoriesService } from './staff-categories.service';

const LIST = `${BRANCH_PATH}/staff-category`;
const ITEM = `${LIST}/:staffCategoryId`;

@ApiTags('staff')
@ApiBasicAuth()
@Controller()
export class StaffCategoriesController {
  constructor(private readonly categories: StaffCategoriesService) {}

  @Get(LIST)
  @ApiOperation({ summary: 'List the branch’s staff categories (_embedded.staffCategories), by name' })
  list(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: ArchivableListQuery,
  ) {
    return this.categories.list(businessId, branchId, query);
  }

  @Get(ITEM)
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'Get a staff category (ETag; 304 on If-None-Match)' })
  get(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('staffCategoryId', new IdPipe('staffCategoryId')) staffCategoryId: string,
  ) {
    return this.categories.get(businessId, branchId, staffCategoryId);
  }

  @Post(LIST)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Create a staff category (managers and owners)' })
  create(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: CreateStaffCategoryDto,
  ) {
    return this.categories.create(businessId, branchId, dto);
  }

  @Put(ITEM)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Update a staff category; send the version you read (409 when stale)' })
  update(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('staffCategoryId', new IdPipe('staffCategoryId')) staffCategoryId: string,
    @Body() dto: UpdateStaffCategoryDto,
  ) {
    return this.categories.update(businessId, branchId, staffCategoryId, dto);
  }

  @Delete(ITEM)
  @HttpCode(204)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Archive a staff category (its staff keep it)' })
  archive(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('staffCategoryId', new IdPipe('staffCategoryId')) staffCategoryId: string,
  ) {
    return this.categories.archive(businessId, branchId, staffCategoryId);
  }
}
