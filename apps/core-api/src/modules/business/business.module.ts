import { Module } from '@nestjs/common';
import { CreateBusinessUseCase } from './use-cases/create-business/create-business.use-case';

@Module({
  providers: [CreateBusinessUseCase],
  exports: [CreateBusinessUseCase],
})
export class BusinessModule {}
