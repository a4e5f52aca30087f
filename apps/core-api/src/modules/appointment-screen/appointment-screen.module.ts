import { Module } from '@nestjs/common';
import { AppointmentScreenController } from './appointment-screen.controller';
import { AppointmentScreenGateway } from './appointment-screen.gateway';

@Module({
  controllers: [AppointmentScreenController],
  providers: [AppointmentScreenGateway],
})
export class AppointmentScreenModule {}
