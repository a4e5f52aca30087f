import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BRANCH_PATH } from '../../shared/http/api-paths';
import { EtagInterceptor } from '../../shared/http/etag.interceptor';
import { IdPipe } from '../../shared/http/id.pipe';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ArchivableListQuery } from '../catalogue/shared/catalogue.dto';
import { CreateProductDto, ProductListQuery, UpdateProductDto } from './dto/product.dto';
import { CreateTaxRateDto, UpdateTaxRateDto } from './dto/tax-rate.dto';
import { ProductsService } from './products.service';
import { TaxRatesService } from './tax-rates.service';

const PRODUCTS = `${BRANCH_PATH}/product`;
const PRODUCT = `${PRODUCTS}/:productId`;
const TAX_RATES = `${BRANCH_PATH}/taxrate`;
const TAX_RATE = `${TAX_RATES}/:taxRateId`;

@ApiTags('products')
@ApiBasicAuth()
@Controller()
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get(PRODUCTS)
  @ApiOperation({
    summary:
      'The branch’s products (_embedded.products); filters productType, searchQuery, barcode, lowStock, outOfStock, archivedOnly, includeArchived, updated_from/updated_to',
  })
  list(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: ProductListQuery,
  ) {
    return this.products.list(businessId, branchId, query);
  }

  @Get(PRODUCT)
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'A product with its stock level (ETag; 304 on If-None-Match)' })
  get(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('productId', new IdPipe('productId')) productId: string,
  ) {
    return this.products.get(businessId, branchId, productId);
  }

  @Post(PRODUCTS)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Create a product (RETAIL or PROFESSIONAL), optionally with its opening stock' })
  create(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: CreateProductDto,
  ) {
    return this.products.create(principal, businessId, branchId, dto);
  }

  @Put(PRODUCT)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Update a product; send the version you read (409 when stale). Stock changes only through movements' })
  update(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('productId', new IdPipe('productId')) productId: string,
    @Body() dto: UpdateProductDto,
  ) {
    return this.products.update(businessId, branchId, productId, dto);
  }

  @Delete(PRODUCT)
  @HttpCode(204)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Archive a product (its movements and sales stay)' })
  archive(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('productId', new IdPipe('productId')) productId: string,
  ) {
    return this.products.archive(businessId, branchId, productId);
  }
}

@ApiTags('products')
@ApiBasicAuth()
@Controller()
export class TaxRatesController {
  constructor(private readonly taxRates: TaxRatesService) {}

  @Get(TAX_RATES)
  @ApiOperation({ summary: 'The branch’s tax rates (_embedded.taxRates); rate is a percentage' })
  list(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Query() query: ArchivableListQuery,
  ) {
    return this.taxRates.list(businessId, branchId, query);
  }

  @Get(TAX_RATE)
  @UseInterceptors(EtagInterceptor)
  @ApiOperation({ summary: 'A tax rate (ETag; 304 on If-None-Match)' })
  get(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('taxRateId', new IdPipe('taxRateId')) taxRateId: string,
  ) {
    return this.taxRates.get(businessId, branchId, taxRateId);
  }

  @Post(TAX_RATES)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Create a tax rate (percentage, up to 3 decimals); optionally the default for services or products' })
  create(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Body() dto: CreateTaxRateDto,
  ) {
    return this.taxRates.create(businessId, branchId, dto);
  }

  @Put(TAX_RATE)
  @RequireRole('MANAGER')
  @ApiOperation({
    summary: 'Update a tax rate; send the version you read (409 when stale). Past purchases keep the rate they were sold at',
  })
  update(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('taxRateId', new IdPipe('taxRateId')) taxRateId: string,
    @Body() dto: UpdateTaxRateDto,
  ) {
    return this.taxRates.update(businessId, branchId, taxRateId, dto);
  }

  @Delete(TAX_RATE)
  @HttpCode(204)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'Archive a tax rate' })
  archive(
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('taxRateId', new IdPipe('taxRateId')) taxRateId: string,
  ) {
    return this.taxRates.archive(businessId, branchId, taxRateId);
  }
}
