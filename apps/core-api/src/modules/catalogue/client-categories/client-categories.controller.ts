import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BUSINESS_PATH } from '../../../shared/http/api-paths';
import { EtagInterceptor } from '../../../shared/http/etag.interceptor';
import { IdPipe } from '../../../shared/http/id.pipe';
import { RequireRole } from '../../auth/auth.decorators';
import { ClientCategoryListQuery, CreateClientCategoryDto, UpdateClientCategoryDto } from './dto/client-category.dto';
import { ClientCategoriesService } from './client-categories.service';

/** Phorest's path first; `client-category` is our alias, served by the same handlers. */
const LIST = [`${BUSINESS_PATH}/category/client`, `${BUSINESS_PATH}/client-category`];
const ITEM = LIST.map((path) => `${path}/:categoryId`);

@ApiTags('clients')
@ApiBasicAuth()
@Controller()
export class ClientCategoriesController {
  constructor(private readonly categories: ClientCategoriesService) {}

  @Get(LIST)
  @ApiOperation({
    summary: 'List the business’s client categories (_embedded.clientCategories), by name; `name` filters by contained text',
  })
  list(@Param('businessId') businessId: string, @Query() query: ClientCategoryListQuery) {
    return this.categories.list(businessId, query);
  }

  @Get(ITEM)
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'Get a client category (ETag; 304 on If-None-Match)' })
  get(@Param('businessId') businessId: string, @Param('categoryId', new IdPipe('categoryId')) categoryId: string) {
    return this.categories.get(businessId, categoryId);
  }

  @Post(LIST)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Create a client category (managers and owners)' })
  create(@Param('businessId') businessId: string, @Body() dto: CreateClientCategoryDto) {
    return this.categories.create(businessId, dto);
  }

  @Put(ITEM)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Update a client category; send the version you read (409 when stale)' })
  update(
    @Param('businessId') businessId: string,
    @Param('categoryId', new IdPipe('categoryId')) categoryId: string,
    @Body() dto: UpdateClientCategoryDto,
  ) {
    return this.categories.update(businessId, categoryId, dto);
  }

  @Delete(ITEM)
  @HttpCode(204)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Archive a client category (its clients stay in it)' })
  archive(@Param('businessId') businessId: string, @Param('categoryId', new IdPipe('categoryId')) categoryId: string) {
    return this.categories.archive(businessId, categoryId);
  }
}
