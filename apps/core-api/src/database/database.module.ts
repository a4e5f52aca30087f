import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CoreApiConfig } from '../config/core-api.config';
import { coreDataSourceOptions } from './data-source';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [CoreApiConfig],
      useFactory: (config: CoreApiConfig) => ({
        ...coreDataSourceOptions(config),
        // A service that starts while MySQL is still coming up keeps trying for ~30 s.
        retryAttempts: 15,
        retryDelay: 2_000,
      }),
    }),
  ],
})
export class DatabaseModule {}
