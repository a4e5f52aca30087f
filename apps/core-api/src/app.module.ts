import { MetricsController } from '@chairbook/platform';
import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule } from './config/config.module';
import { CoreApiConfig } from './config/core-api.config';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { AuthModule } from './modules/auth/auth.module';
import { BranchesModule } from './modules/branches/branches.module';
import { BusinessModule } from './modules/business/business.module';
import { CatalogueModule } from './modules/catalogue/catalogue.module';
import { ClientsModule } from './modules/clients/clients.module';
import { StaffModule } from './modules/staff/staff.module';
import { UsersModule } from './modules/users/users.module';

@Module({})
export class AppModule {
  static register(config: CoreApiConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config, logger),
        DatabaseModule,
        EventsModule,
        HealthModule,
        AuthModule,
        BusinessModule,
        BranchesModule,
        CatalogueModule,
        StaffModule,
        ClientsModule,
        UsersModule,
      ],
      controllers: [MetricsController],
    };
  }
}
