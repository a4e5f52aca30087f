import { Module } from '@nestjs/common';
import { ExportWorker } from './export-worker';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';

/** Asynchronous CSV exports, run by a worker loop in every copy (jobs claimed with SKIP LOCKED). */
@Module({
  controllers: [ExportsController],
  providers: [ExportWorker, ExportsService],
  exports: [ExportWorker],
})
export class ExportsModule {}
