import { Body, Controller, Get, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BRANCH_PATH } from '../../shared/http/api-paths';
import { EtagInterceptor } from '../../shared/http/etag.interceptor';
import { IdempotentInTransaction } from '../../shared/http/idempotency-scope';
import { IdPipe } from '../../shared/http/id.pipe';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { CreatePurchaseDto, PurchaseListQuery, RefundPurchaseDto, VoidPurchaseDto } from './dto/purchase.dto';
import { PurchaseResult, PurchasesService } from './purchases.service';

const PURCHASES = `${BRANCH_PATH}/purchase`;
const PURCHASE = `${PURCHASES}/:purchaseId`;

type Reply = { status(code: number): Reply; header(name: string, value: string): Reply };

/** 201 for a new purchase; 200 with `Purchase-Replayed: true` when its number was already used with the same body. */
function answer(reply: Reply, result: PurchaseResult) {
  if (result.replayed) reply.status(200).header('Purchase-Replayed', 'true');
  return result.view;
}

@ApiTags('purchases')
@ApiBasicAuth()
@Controller()
export class PurchasesController {
  constructor(private readonly purchases: PurchasesService) {}

  @Post(PURCHASES)
  @IdempotentInTransaction()
  @RequireRole('RECEPTION')
  @ApiOperation({
    summary:
      'Ring up a purchase: appointments (completing them), services, products (out of stock), vouchers sold, tips; split tenders (CASH with change, CARD, VOUCHER, OTHER). ' +
      '400 PAYMENT_SHORT when the tenders do not cover the total; the same number again replays the first purchase (200), with another body 409',
  })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: CreatePurchaseDto,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    return answer(reply, await this.purchases.create(principal, businessId, branchId, dto));
  }

  @Get(PURCHASES)
  @RequireRole('RECEPTION')
  @ApiOperation({ summary: 'Purchases, newest first (_embedded.purchases); filters from_date/to_date (local), clientId, number' })
  list(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: PurchaseListQuery,
  ) {
    return this.purchases.list(businessId, branchId, query);
  }

  @Get(PURCHASE)
  @RequireRole('RECEPTION')
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'A purchase with its lines, tenders and tax breakdown (ETag)' })
  get(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('purchaseId', new IdPipe('purchaseId')) purchaseId: string,
  ) {
    return this.purchases.get(businessId, branchId, purchaseId);
  }

  @Post(`${PURCHASE}/refund`)
  @IdempotentInTransaction()
  @RequireRole('MANAGER')
  @ApiOperation({
    summary: 'Refund lines (or units) of a sale as a new purchase with negative amounts; products back in stock unless restock is false',
  })
  async refund(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('purchaseId', new IdPipe('purchaseId')) purchaseId: string,
    @Body() dto: RefundPurchaseDto,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    return answer(reply, await this.purchases.refund(principal, businessId, branchId, purchaseId, dto));
  }

  @Post(`${PURCHASE}/void`)
  @IdempotentInTransaction()
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Void a sale: one new purchase reversing all of it onto the same tenders (409 once refunded or voided)' })
  async void(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('purchaseId', new IdPipe('purchaseId')) purchaseId: string,
    @Body() dto: VoidPurchaseDto,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    return answer(reply, await this.purchases.void(principal, businessId, branchId, purchaseId, dto));
  }
}
