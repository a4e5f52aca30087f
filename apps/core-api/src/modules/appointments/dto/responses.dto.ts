import { ApiProperty } from '@nestjs/swagger';

/*
 * Answer shapes, for the OpenAPI document only (the answers are built by the views). They list
 * the fields integrations look for, the reference's names beside ours included.
 */

export class AppointmentResponse {
  @ApiProperty() appointmentId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ nullable: true, type: String }) bookingId!: string | null;
  @ApiProperty({ example: '2026-12-01', description: 'Local date in the branch zone' }) appointmentDate!: string;
  @ApiProperty({ example: '10:00:00', description: 'Local start time' }) startTime!: string;
  @ApiProperty({ example: '10:45:00', description: 'Local end time' }) endTime!: string;
  @ApiProperty({ example: '2026-12-01T10:00:00.000Z' }) startDateTime!: string;
  @ApiProperty({ example: '2026-12-01T10:45:00.000Z' }) endDateTime!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty() serviceId!: string;
  @ApiProperty({ example: 55 }) price!: number;

  @ApiProperty({
    enum: ['BOOKED', 'CHECKED_IN', 'STARTED', 'COMPLETED', 'NO_SHOW', 'CANCELLED'],
    description: 'Where the appointment is: CANCELLED once it is cancelled (or its hold lapsed), whatever stage it had reached',
  })
  state!: string;

  @ApiProperty({ enum: ['ACTIVE', 'RESERVED', 'CANCELED'], description: 'ACTIVE, a RESERVED hold, or CANCELED (the reference’s spelling)' })
  activationState!: string;

  @ApiProperty() confirmed!: boolean;

  @ApiProperty({ nullable: true, type: String, description: 'The appointment’s notes, under the reference’s name (same as `notes`)' })
  note!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'Same as `note`' })
  notes!: string | null;

  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class AvailabilityServiceScheduleResponse {
  @ApiProperty() serviceId!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty({ example: '2026-12-01T10:00:00.000Z' }) startTime!: string;
  @ApiProperty({ example: '2026-12-01T10:45:00.000Z' }) endTime!: string;
  @ApiProperty({ nullable: true, type: String }) roomId!: string | null;
  @ApiProperty({ nullable: true, type: String }) machineId!: string | null;
  @ApiProperty({ example: 55 }) price!: number;
}

export class AvailabilityClientScheduleResponse {
  @ApiProperty({ nullable: true, type: String, description: 'The client asked about (null when none was)' }) clientId!: string | null;
  @ApiProperty({ type: [AvailabilityServiceScheduleResponse], description: 'One per requested service, in order' })
  serviceSchedules!: AvailabilityServiceScheduleResponse[];
}

export class AvailabilityOfferResponse {
  @ApiProperty({ example: '2026-12-01T10:00:00.000Z' }) startTime!: string;

  @ApiProperty({
    type: [AvailabilityClientScheduleResponse],
    description: 'One bookable combination: post it as a booking’s clientAppointmentSchedules (with a clientId) to book exactly this',
  })
  clientSchedules!: AvailabilityClientScheduleResponse[];
}

export class AvailabilityTimeResponse extends AvailabilityOfferResponse {
  @ApiProperty({
    type: [AvailabilityOfferResponse],
    description: 'Other bookable combinations at the same start (another free stylist), each bookable as it stands',
  })
  alternatives!: AvailabilityOfferResponse[];
}

export class AvailableSlotResponse {
  @ApiProperty({ example: '2026-12-01T10:00:00.000Z' }) startTime!: string;
  @ApiProperty({ example: '2026-12-01T10:45:00.000Z' }) endTime!: string;
  @ApiProperty({ description: 'The offered stylist (of the first service)' }) staffId!: string;
  @ApiProperty({ type: [String], description: 'Every stylist free at this start, the offered one included' }) staffIds!: string[];
}

export class AvailabilityResponse {
  @ApiProperty({ type: [AvailabilityTimeResponse], description: 'One entry per start time' }) data!: AvailabilityTimeResponse[];
  @ApiProperty({ type: [AvailableSlotResponse], description: 'The reference’s shape: one entry per start time' })
  availableSlots!: AvailableSlotResponse[];
  @ApiProperty({ example: 'Europe/Dublin' }) timeZone!: string;
}
