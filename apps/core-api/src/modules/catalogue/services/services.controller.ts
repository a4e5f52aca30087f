import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BRANCH_PATH } from '../../../shared/http/api-paths';
import { EtagInterceptor } from '../../../shared/http/etag.interceptor';
import { IdPipe } from '../../../shared/http/id.pipe';
import { RequireRole } from '../../auth/auth.decorators';
import { CreateServiceDto, ServiceListQuery, UpdateServiceDto } from './dto/service.dto';
import { ServicesService } from './services.service';

const LIST = `${BRANCH_PATH}/service`;
const ITEM = `${LIST}/:serviceId`;

@ApiTags('services')
@ApiBasicAuth()
@Controller()
export class ServicesController {
  constructor(private readonly services: ServicesService) {}

  @Get(LIST)
  @RequireRole('STYLIST', { service: true })
  @ApiOperation({ summary: 'List the branch’s services (_embedded.services), duration also as durationMinutes; filters category_id, updatedAfter, includeArchived' })
  list(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: ServiceListQuery,
  ) {
    return this.services.list(businessId, branchId, query);
  }

  @Get(ITEM)
  @RequireRole('STYLIST', { service: true })
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'Get a service, duration also as durationMinutes (ETag; 304 on If-None-Match)' })
  get(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('serviceId', new IdPipe('serviceId')) serviceId: string,
  ) {
    return this.services.get(businessId, branchId, serviceId);
  }

  @Post(LIST)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Create a service: duration (gap included), gap, buffer, price, rooms/machines (managers and owners)' })
  create(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: CreateServiceDto,
  ) {
    return this.services.create(businessId, branchId, dto);
  }

  @Put(ITEM)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Update a service; send the version you read (409 when stale); absent fields stay, roomIds/machineIds replace' })
  update(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('serviceId', new IdPipe('serviceId')) serviceId: string,
    @Body() dto: UpdateServiceDto,
  ) {
    return this.services.update(businessId, branchId, serviceId, dto);
  }

  @Delete(ITEM)
  @HttpCode(204)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Archive a service (it leaves lists and online booking; appointments keep it)' })
  archive(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('serviceId', new IdPipe('serviceId')) serviceId: string,
  ) {
    return this.services.archive(businessId, branchId, serviceId);
  }
}
