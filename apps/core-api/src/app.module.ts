import { MetricsController } from '@chairbook/platform';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Logger } from 'pino';
import { ConfigModule } from './config/config.module';
import { CoreApiConfig } from './config/core-api.config';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { IdempotencyInterceptor } from './shared/http/idempotency.interceptor';
import { AppointmentScreenModule } from './modules/appointment-screen/appointment-screen.module';
import { AppointmentsModule } from './modules/appointments/appointments.module';
import { AuthModule } from './modules/auth/auth.module';
import { BranchesModule } from './modules/branches/branches.module';
import { BusinessModule } from './modules/business/business.module';
import { CatalogueModule } from './modules/catalogue/catalogue.module';
import { ClientsModule } from './modules/clients/clients.module';
import { OnlineBookingModule } from './modules/online-booking/online-booking.module';
import { MessagingFeedbackModule } from './modules/messaging-feedback/messaging-feedback.module';
import { RostersModule } from './modules/rosters/rosters.module';
import { StaffModule } from './modules/staff/staff.module';
import { UsersModule } from './modules/users/users.module';
import { ProductsModule } from './modules/products/products.module';
import { StockModule } from './modules/stock/stock.module';
import { TillsModule } from './modules/tills/tills.module';
import { VouchersModule } from './modules/vouchers/vouchers.module';
import { PurchasesModule } from './modules/purchases/purchases.module';
import { LoyaltyModule } from './modules/loyalty/loyalty.module';
import { ReportsModule } from './modules/reports/reports.module';
import { ExportsModule } from './modules/exports/exports.module';

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
        RostersModule,
        AppointmentsModule,
        AppointmentScreenModule,
        OnlineBookingModule,
        ClientsModule,
        UsersModule,
        MessagingFeedbackModule,
        ProductsModule,
        StockModule,
        TillsModule,
        VouchersModule,
        PurchasesModule,
        LoyaltyModule,
        ReportsModule,
        ExportsModule,
      ],
      controllers: [MetricsController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
    };
  }
}
