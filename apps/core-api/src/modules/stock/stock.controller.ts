import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BRANCH_PATH } from '../../shared/http/api-paths';
import { IdPipe } from '../../shared/http/id.pipe';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { InventoryTransactionQuery, RetailSettingsDto, StockAdjustmentDto, StockTakeDto } from './dto/stock.dto';
import { StockService } from './stock.service';

@ApiTags('stock')
@ApiBasicAuth()
@Controller()
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Post(`${BRANCH_PATH}/stock/adjustment`)
  @HttpCode(204)
  @RequireRole('RECEPTION')
  @ApiOperation({
    summary:
      'Adjust stock (Phorest: stocks[{barcodes[] or barcode or productId, quantity (signed: negative deducts), reason, operationType DEDUCT|INCREASE}]); reasons DELIVERY, LOSS, PROFESSIONAL_USE, STOCK_TAKE (quantity = count), ADJUSTMENT, in any case. 204; 404 for a barcode no product of the branch has',
  })
  adjust(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: StockAdjustmentDto,
  ): Promise<void> {
    return this.stock.adjust(principal, businessId, branchId, dto);
  }

  @Post(`${BRANCH_PATH}/stock/take`)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Record a stock take: counted quantities become the levels; answers each variance (units and cost)' })
  stockTake(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: StockTakeDto,
  ) {
    return this.stock.stockTake(principal, businessId, branchId, dto);
  }

  @Get(`${BRANCH_PATH}/inventorytransaction`)
  @RequireRole('RECEPTION')
  @ApiOperation({
    summary: 'Every stock movement, oldest first (_embedded.inventoryTransactions); filters productId, reason, updated_from/updated_to',
  })
  transactions(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: InventoryTransactionQuery,
  ) {
    return this.stock.transactions(businessId, branchId, query);
  }

  @Get(`${BRANCH_PATH}/stock/settings`)
  @RequireRole('RECEPTION')
  @ApiOperation({ summary: 'The branch’s stock settings (allowNegativeStock)' })
  settings(@Param('businessId') businessId: string, @Param('branchId', new IdPipe('branchId')) branchId: string) {
    return this.stock.settings(businessId, branchId);
  }

  @Put(`${BRANCH_PATH}/stock/settings`)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Change the stock settings; send the version you read (0 the first time; 409 when stale)' })
  updateSettings(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: RetailSettingsDto,
  ) {
    return this.stock.updateSettings(businessId, branchId, dto);
  }
}
