import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BRANCH_PATH } from '../../../shared/http/api-paths';
import { EtagInterceptor } from '../../../shared/http/etag.interceptor';
import { IdPipe } from '../../../shared/http/id.pipe';
import { RequireRole } from '../../auth/auth.decorators';
import { ArchivableListQuery } from '../shared/catalogue.dto';
import { CreateServiceCategoryDto, UpdateServiceCategoryDto } from './dto/service-category.dto';
import { ServiceCategoriesService } from './service-categories.service';

const LIST = `${BRANCH_PATH}/service-category`;
const ITEM = `${LIST}/:categoryId`;

@ApiTags('services')
@ApiBasicAuth()
@Controller()
export class ServiceCategoriesController {
  constructor(private readonly categories: ServiceCategoriesService) {}

  @Get(LIST)
  @RequireRole('STYLIST', { service: true })
  @ApiOperation({ summary: 'List the branch’s service categories (_embedded.serviceCategories), by sortOrder then name' })
  list(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: ArchivableListQuery,
  ) {
    return this.categories.list(businessId, branchId, query);
  }

  @Get(ITEM)
  @RequireRole('STYLIST', { service: true })
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'Get a service category (ETag; 304 on If-None-Match)' })
  get(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('categoryId', new IdPipe('categoryId')) categoryId: string,
  ) {
    return this.categories.get(businessId, branchId, categoryId);
  }

  @Post(LIST)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Create a service category (managers and owners)' })
  create(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: CreateServiceCategoryDto,
  ) {
    return this.categories.create(businessId, branchId, dto);
  }

  @Put(ITEM)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Update a service category; send the version you read (409 when stale); absent fields stay as they are' })
  update(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('categoryId', new IdPipe('categoryId')) categoryId: string,
    @Body() dto: UpdateServiceCategoryDto,
  ) {
    return this.categories.update(businessId, branchId, categoryId, dto);
  }

  @Delete(ITEM)
  @HttpCode(204)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Archive a service category (its services keep it)' })
  archive(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('categoryId', new IdPipe('categoryId')) categoryId: string,
  ) {
    return this.categories.archive(businessId, branchId, categoryId);
  }
}
