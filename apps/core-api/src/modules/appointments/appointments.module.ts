import { Module } from '@nestjs/common';
import { RostersModule } from '../rosters/rosters.module';
import { AppointmentReader } from './appointment.views';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsService } from './appointments.service';
import { BookingsService } from './bookings.service';
import { BranchCalendarLoader } from './calendar/branch-calendar.loader';
import { HoldJanitor } from './hold-janitor';
import { CreateBookingUseCase } from './use-cases/create-booking.use-case';
import { FindAvailabilityUseCase } from './use-cases/find-availability.use-case';

@Module({
  imports: [RostersModule],
  controllers: [AppointmentsController],
  providers: [AppointmentReader, BranchCalendarLoader, FindAvailabilityUseCase, CreateBookingUseCase, BookingsService, AppointmentsService, HoldJanitor],
  exports: [AppointmentReader, BranchCalendarLoader, FindAvailabilityUseCase, CreateBookingUseCase, BookingsService],
})
export class AppointmentsModule {}
