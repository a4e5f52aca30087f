import { Global, Module } from '@nestjs/common';
import { BranchRowCache } from './branch-row.cache';
import { BranchesController } from './branches.controller';
import { BranchesService } from './branches.service';

/** Global: every branch-scoped module resolves (and tenant-checks) its branch through it. */
@Global()
@Module({
  controllers: [BranchesController],
  providers: [BranchesService, BranchRowCache],
  exports: [BranchesService, BranchRowCache],
})
export class BranchesModule {}
