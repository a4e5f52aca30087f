import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BRANCH_PATH } from '../../../shared/http/api-paths';
import { EtagInterceptor } from '../../../shared/http/etag.interceptor';
import { IdPipe } from '../../../shared/http/id.pipe';
import { RequireRole } from '../../auth/auth.decorators';
import { CreateResourceDto, ResourceListQuery, UpdateResourceDto } from './dto/resource.dto';
import { MachinesService, RoomsService } from './resources.service';

const ROOMS = `${BRANCH_PATH}/room`;
const ROOM = `${ROOMS}/:roomId`;
const MACHINES = `${BRANCH_PATH}/machine`;
const MACHINE = `${MACHINES}/:machineId`;

@ApiTags('rooms and machines')
@ApiBasicAuth()
@Controller()
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Get(ROOMS)
  @RequireRole('STYLIST', { service: true })
  @ApiOperation({ summary: 'List the branch’s rooms (_embedded.rooms), by name; `updated_from` polls changes' })
  list(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: ResourceListQuery,
  ) {
    return this.rooms.list(businessId, branchId, query);
  }

  @Get(ROOM)
  @RequireRole('STYLIST', { service: true })
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'Get a room (ETag; 304 on If-None-Match)' })
  get(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('roomId', new IdPipe('roomId')) roomId: string,
  ) {
    return this.rooms.get(businessId, branchId, roomId);
  }

  @Post(ROOMS)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Create a room with its capacity (managers and owners)' })
  create(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: CreateResourceDto,
  ) {
    return this.rooms.create(businessId, branchId, dto);
  }

  @Put(ROOM)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Update a room; send the version you read (409 when stale)' })
  update(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('roomId', new IdPipe('roomId')) roomId: string,
    @Body() dto: UpdateResourceDto,
  ) {
    return this.rooms.update(businessId, branchId, roomId, dto);
  }

  @Delete(ROOM)
  @HttpCode(204)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Archive a room' })
  archive(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('roomId', new IdPipe('roomId')) roomId: string,
  ) {
    return this.rooms.archive(businessId, branchId, roomId);
  }
}

@ApiTags('rooms and machines')
@ApiBasicAuth()
@Controller()
export class MachinesController {
  constructor(private readonly machines: MachinesService) {}

  @Get(MACHINES)
  @RequireRole('STYLIST', { service: true })
  @ApiOperation({ summary: 'List the branch’s machines (_embedded.machines), by name; `updated_from` polls changes' })
  list(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: ResourceListQuery,
  ) {
    return this.machines.list(businessId, branchId, query);
  }

  @Get(MACHINE)
  @RequireRole('STYLIST', { service: true })
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'Get a machine (ETag; 304 on If-None-Match)' })
  get(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('machineId', new IdPipe('machineId')) machineId: string,
  ) {
    return this.machines.get(businessId, branchId, machineId);
  }

  @Post(MACHINES)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Create a machine with its capacity (managers and owners)' })
  create(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: CreateResourceDto,
  ) {
    return this.machines.create(businessId, branchId, dto);
  }

  @Put(MACHINE)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Update a machine; send the version you read (409 when stale)' })
  update(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('machineId', new IdPipe('machineId')) machineId: string,
    @Body() dto: UpdateResourceDto,
  ) {
    return this.machines.update(businessId, branchId, machineId, dto);
  }

  @Delete(MACHINE)
  @HttpCode(204)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Archive a machine' })
  archive(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('machineId', new IdPipe('machineId')) machineId: string,
  ) {
    return this.machines.archive(businessId, branchId, machineId);
  }
}
