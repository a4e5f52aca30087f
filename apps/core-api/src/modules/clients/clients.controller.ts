import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { BUSINESS_PATH } from '../../shared/http/api-paths';
import { EtagInterceptor } from '../../shared/http/etag.interceptor';
import { IdPipe } from '../../shared/http/id.pipe';
import { PageQuery } from '../../shared/http/paging';
import { BooleanQuery } from '../../shared/http/query-flags';
import { RequireRole } from '../auth/auth.decorators';
import { ClientsService } from './clients.service';
import { CreateClientDto, UpdateClientDto } from './dto/client.dto';

class ClientListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'siobhan@example.com', description: 'Exact email (case-insensitive)' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+353871234567', description: 'Mobile in any common form: 087 123 4567, 353871234567, +353…' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  externalId?: string;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00.000Z', description: 'Changed after this instant (incremental sync)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedAfter?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedBefore?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  includeArchived?: boolean;
}

const CLIENTS = `${BUSINESS_PATH}/client`;
const ONE = `${CLIENTS}/:clientId`;

@ApiTags('clients')
@ApiBasicAuth()
@Controller()
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Get(CLIENTS)
  @ApiOperation({ summary: 'Find clients (by email, phone, name, external id, or changes since a time)' })
  list(@Param('businessId') businessId: string, @Query() query: ClientListQuery) {
    return this.clients.list(businessId, query);
  }

  @Get(ONE)
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'Get a client (ETag; 304 on If-None-Match)' })
  get(@Param('businessId') businessId: string, @Param('clientId', new IdPipe('clientId')) clientId: string) {
    return this.clients.get(businessId, clientId);
  }

  @Post(CLIENTS)
  @RequireRole('RECEPTION')
  @ApiOperation({ summary: 'Create a client' })
  create(@Param('businessId') businessId: string, @Body() dto: CreateClientDto) {
    return this.clients.create(businessId, dto);
  }

  @Put(ONE)
  @RequireRole('RECEPTION')
  @ApiOperation({ summary: 'Update a client; send the version you read (409 when stale)' })
  update(@Param('businessId') businessId: string, @Param('clientId', new IdPipe('clientId')) clientId: string, @Body() dto: UpdateClientDto) {
    return this.clients.update(businessId, clientId, dto);
  }

  @Delete(ONE)
  @HttpCode(204)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Archive a client' })
  archive(@Param('businessId') businessId: string, @Param('clientId', new IdPipe('clientId')) clientId: string) {
    return this.clients.archive(businessId, clientId);
  }
}
