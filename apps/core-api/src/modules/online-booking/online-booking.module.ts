import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { ClientsModule } from '../clients/clients.module';
import { RostersModule } from '../rosters/rosters.module';
import { OnlineBookingController } from './online-booking.controller';
import { OnlineBookingService } from './online-booking.service';

@Module({
  imports: [AppointmentsModule, ClientsModule, RostersModule],
  controllers: [OnlineBookingController],
  providers: [OnlineBookingService],
})
export class OnlineBookingModule {}
