import { Module } from '@nestjs/common';
import { StockModule } from '../stock/stock.module';
import { ProductsController, TaxRatesController } from './products.controller';
import { ProductsService } from './products.service';
import { TaxRatesService } from './tax-rates.service';

/** Products and tax rates of a branch. Exports TaxRatesService (purchases tax their lines with it). */
@Module({
  imports: [StockModule],
  controllers: [ProductsController, TaxRatesController],
  providers: [ProductsService, TaxRatesService],
  exports: [TaxRatesService],
})
export class ProductsModule {}
