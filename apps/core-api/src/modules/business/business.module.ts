import { Module } from '@nestjs/common';
import { BusinessController } from './business.controller';
import { CreateBusinessUseCase } from './use-cases/create-business/create-business.use-case';

@Module({
  controllers: [BusinessController],
  providers: [CreateBusinessUseCase],
  exports: [CreateBusinessUseCase],
})
export class BusinessModule {}
