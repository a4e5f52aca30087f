import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingConfig } from '../config/messaging.config';
import { messagingDataSourceOptions } from './data-source';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [MessagingConfig],
      useFactory: (config: MessagingConfig) => ({ ...messagingDataSourceOptions(config), retryAttempts: 15, retryDelay: 2_000 }),
    }),
  ],
})
export class DatabaseModule {}
