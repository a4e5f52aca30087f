import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { ProductsModule } from '../products/products.module';
import { StockModule } from '../stock/stock.module';
import { TillsModule } from '../tills/tills.module';
import { VouchersModule } from '../vouchers/vouchers.module';
import { PurchasesController } from './purchases.controller';
import { PurchasesService } from './purchases.service';

/** The till's purchases, refunds and voids. */
@Module({
  imports: [AppointmentsModule, ProductsModule, StockModule, TillsModule, VouchersModule],
  controllers: [PurchasesController],
  providers: [PurchasesService],
})
export class PurchasesModule {}
