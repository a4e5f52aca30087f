import { Module } from '@nestjs/common';
import { TillsController } from './tills.controller';
import { TillsService } from './tills.service';

/** Tills and till sessions. Exports TillsService (purchases attach their tenders to the open session). */
@Module({
  controllers: [TillsController],
  providers: [TillsService],
  exports: [TillsService],
})
export class TillsModule {}
