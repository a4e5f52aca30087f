import { Module } from '@nestjs/common';
import { StockController } from './stock.controller';
import { StockLedger } from './stock-ledger';
import { StockService } from './stock.service';

/** Stock movements and levels. Exports StockLedger, the only writer of stock (sales use it too). */
@Module({
  controllers: [StockController],
  providers: [StockLedger, StockService],
  exports: [StockLedger],
})
export class StockModule {}
