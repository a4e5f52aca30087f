import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsOptionalNotNull } from '../../../shared/http/optional';
import { PageQuery } from '../../../shared/http/paging';
import { BooleanQuery } from '../../../shared/http/query-flags';

const ID = /^[A-Za-z0-9_-]{22}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class AppointmentListQuery extends PageQuery {
  @ApiPropertyOptional({ name: 'from_date', example: '2026-12-01', description: 'First local date (inclusive); with to_date, at most 31 days' })
  @IsOptional()
  @Matches(DATE, { message: 'must be YYYY-MM-DD' })
  from_date?: string;

  @ApiPropertyOptional({ name: 'to_date', example: '2026-12-01' })
  @IsOptional()
  @Matches(DATE, { message: 'must be YYYY-MM-DD' })
  to_date?: string;

  @ApiPropertyOptional({ name: 'updated_from', example: '2026-12-01T00:00:00Z', description: 'Changed at or after this instant (incremental sync)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updated_from?: string;

  @ApiPropertyOptional({ name: 'updated_to' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updated_to?: string;

  @ApiPropertyOptional({ name: 'staff_id' })
  @IsOptional()
  @Matches(ID, { message: 'must be a staff id' })
  staff_id?: string;

  @ApiPropertyOptional({ name: 'client_id' })
  @IsOptional()
  @Matches(ID, { message: 'must be a client id' })
  client_id?: string;

  @ApiPropertyOptional({ name: 'fetch_canceled', description: 'Include cancelled appointments (and expired holds)' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  fetch_canceled?: boolean;
}

export class UpdateAppointmentDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiPropertyOptional({ description: 'Must match the path when sent (Phorest’s update body carries it)' })
  @IsOptional()
  @Matches(ID, { message: 'must be an appointment id' })
  appointmentId?: string;

  @ApiPropertyOptional({ example: '2026-12-02', description: 'New local date (with startTime as local HH:mm:ss)' })
  @IsOptionalNotNull()
  @Matches(DATE, { message: 'must be YYYY-MM-DD' })
  appointmentDate?: string;

  @ApiPropertyOptional({ example: '10:30:00', description: 'New start: local HH:mm[:ss] (with appointmentDate) or an ISO instant' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(40)
  startTime?: string;

  @ApiPropertyOptional({ description: 'Accepted and ignored: the service decides the end' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  endTime?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @Matches(ID, { message: 'must be a staff id' })
  staffId?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @Matches(ID, { message: 'must be a service id' })
  serviceId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'must be a room id' })
  roomId?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'must be a machine id' })
  machineId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 50_000, description: 'The appointment’s notes, replaced (null clears them); same as `note`' })
  @IsOptional()
  @IsString()
  @MaxLength(50_000)
  notes?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 50_000, description: 'The reference’s name for `notes` (send either; both must agree)' })
  @IsOptional()
  @IsString()
  @MaxLength(50_000)
  note?: string | null;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  confirmed?: boolean;

  @ApiPropertyOptional({ description: 'Set false to move a requested stylist’s appointment to someone else' })
  @IsOptionalNotNull()
  @IsBoolean()
  staffRequest?: boolean;

  @ApiPropertyOptional({ example: 55 })
  @IsOptionalNotNull()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0)
  @Max(1_000_000)
  price?: number;
}

/** A note appended to the appointment's notes: `serviceNote` or `note` (one of them is required). */
export class AppointmentNoteDto {
  @ApiPropertyOptional({ example: 'Allergic to ammonia-based colour', maxLength: 50_000, description: 'The note to append (send this or `note`)' })
  @IsOptional()
  @IsString()
  @MaxLength(50_000)
  serviceNote?: string;

  @ApiPropertyOptional({ example: 'Allergic to ammonia-based colour', maxLength: 50_000, description: 'The reference’s name for the note (send this or `serviceNote`; both must agree)' })
  @IsOptional()
  @IsString()
  @MaxLength(50_000)
  note?: string;
}

export class AppointmentIdsQuery {
  @ApiProperty({ name: 'appointment_id', description: 'One or more appointment ids (repeat the parameter)' })
  @IsOptional()
  appointment_id?: string | string[];
}
