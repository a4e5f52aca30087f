import { Module } from '@nestjs/common';
import { VoucherLedger } from './voucher-ledger';
import { VouchersController } from './vouchers.controller';
import { VouchersService } from './vouchers.service';

/** Gift vouchers. Exports VoucherLedger (purchases sell and redeem vouchers through it). */
@Module({
  controllers: [VouchersController],
  providers: [VoucherLedger, VouchersService],
  exports: [VoucherLedger],
})
export class VouchersModule {}
