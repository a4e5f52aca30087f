import { Body, Controller, Get, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BUSINESS_PATH } from '../../shared/http/api-paths';
import { EtagInterceptor } from '../../shared/http/etag.interceptor';
import { IdPipe } from '../../shared/http/id.pipe';
import { PageQuery } from '../../shared/http/paging';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { CreateVoucherDto, UpdateVoucherDto, VoucherListQuery } from './dto/voucher.dto';
import { VouchersService } from './vouchers.service';

const VOUCHERS = `${BUSINESS_PATH}/voucher`;
const VOUCHER = `${VOUCHERS}/:voucherId`;

@ApiTags('vouchers')
@ApiBasicAuth()
@Controller()
export class VouchersController {
  constructor(private readonly vouchers: VouchersService) {}

  @Get(VOUCHERS)
  @RequireRole('RECEPTION')
  @ApiOperation({
    summary: 'The business’s vouchers (_embedded.vouchers); filters clientId, serialNumber, includeUsed, updated_from/updated_to',
  })
  list(@Param('businessId') businessId: string, @Query() query: VoucherListQuery) {
    return this.vouchers.list(businessId, query);
  }

  @Post(VOUCHERS)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Issue a voucher (412 when the serial number exists). Vouchers sold at the till come from a purchase' })
  create(@CurrentPrincipal() principal: Principal, @Param('businessId') businessId: string, @Body() dto: CreateVoucherDto) {
    return this.vouchers.create(principal, businessId, dto);
  }

  @Get(VOUCHER)
  @RequireRole('RECEPTION')
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'A voucher with its remaining balance (ETag)' })
  get(@Param('businessId') businessId: string, @Param('voucherId', new IdPipe('voucherId')) voucherId: string) {
    return this.vouchers.get(businessId, voucherId);
  }

  @Put(VOUCHER)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Set the remaining balance (never below zero); recorded in the history' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('voucherId', new IdPipe('voucherId')) voucherId: string,
    @Body() dto: UpdateVoucherDto,
  ) {
    return this.vouchers.update(principal, businessId, voucherId, dto);
  }

  @Get(`${VOUCHER}/history`)
  @RequireRole('RECEPTION')
  @ApiOperation({ summary: 'Every change of the voucher’s balance, oldest first (_embedded.voucherTransactions)' })
  history(
    @Param('businessId') businessId: string,
    @Param('voucherId', new IdPipe('voucherId')) voucherId: string,
    @Query() query: PageQuery,
  ) {
    return this.vouchers.history(businessId, voucherId, query);
  }
}
