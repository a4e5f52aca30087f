import { Module } from '@nestjs/common';
import { CatalogueQueries } from './catalogue-queries';
import { ClientCategoriesController } from './client-categories/client-categories.controller';
import { ClientCategoriesService } from './client-categories/client-categories.service';
import { MachinesController, RoomsController } from './rooms-and-machines/rooms-and-machines.controller';
import { MachinesService, RoomsService } from './rooms-and-machines/resources.service';
import { ServiceCategoriesController } from './service-categories/service-categories.controller';
import { ServiceCategoriesService } from './service-categories/service-categories.service';
import { ServicesController } from './services/services.controller';
import { ServicesService } from './services/services.service';
import { StaffCategoriesController } from './staff-categories/staff-categories.controller';
import { StaffCategoriesService } from './staff-categories/staff-categories.service';

/**
 * The salon's set-up catalogue: service categories, services, rooms, machines, staff
 * categories and client categories.
 *
 * Exports `CatalogueQueries` for scheduling and booking: `loadServiceRules(businessId,
 * branchId, serviceIds?)` (services with duration, gap, buffer, online flag, rooms/machines
 * and price) and `loadResources(businessId, branchId)` (rooms and machines with capacity).
 */
@Module({
  controllers: [
    ServiceCategoriesController,
    ServicesController,
    RoomsController,
    MachinesController,
    StaffCategoriesController,
    ClientCategoriesController,
  ],
  providers: [
    ServiceCategoriesService,
    ServicesService,
    RoomsService,
    MachinesService,
    StaffCategoriesService,
    ClientCategoriesService,
    CatalogueQueries,
  ],
  exports: [CatalogueQueries],
})
export class CatalogueModule {}
