import { Module } from '@nestjs/common';

/**
 * The salon's set-up catalogue: service categories, services, rooms, machines, staff
 * categories and client categories.
 */
@Module({
  controllers: [],
  providers: [],
  exports: [],
})
export class CatalogueModule {}
