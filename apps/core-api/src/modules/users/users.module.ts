import { Module } from '@nestjs/common';
import { CredentialsChangedListener } from './credentials-changed.listener';
import { UsersController } from './users.controller';

@Module({
  controllers: [UsersController],
  providers: [CredentialsChangedListener],
})
export class UsersModule {}
