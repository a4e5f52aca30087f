import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BUSINESS_PATH } from '../../shared/http/api-paths';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { LoyaltyLedgerQuery, LoyaltyPointsDto } from './dto/loyalty.dto';
import { LoyaltyService } from './loyalty.service';

@ApiTags('loyalty')
@ApiBasicAuth()
@Controller()
export class LoyaltyController {
  constructor(private readonly loyalty: LoyaltyService) {}

  @Post(`${BUSINESS_PATH}/loyaltypoints`)
  @HttpCode(200)
  @RequireRole('RECEPTION')
  @ApiOperation({ summary: 'Add or deduct a client’s loyalty points (Phorest’s body); never below zero (409 INSUFFICIENT_LOYALTY_POINTS)' })
  change(@CurrentPrincipal() principal: Principal, @Param('businessId') businessId: string, @Body() dto: LoyaltyPointsDto) {
    return this.loyalty.change(principal, businessId, dto);
  }

  @Get(`${BUSINESS_PATH}/loyaltypoints`)
  @RequireRole('RECEPTION')
  @ApiOperation({ summary: 'A client’s points and their history, newest first (?clientId=; _embedded.loyaltyTransactions)' })
  ledger(@Param('businessId') businessId: string, @Query() query: LoyaltyLedgerQuery) {
    return this.loyalty.ledger(businessId, query);
  }
}
