import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsOptionalNotNull } from '../../../shared/http/optional';

const ID = /^[A-Za-z0-9_-]{22}$/;

export class ServiceScheduleDto {
  @ApiProperty({ example: 'Xk2PqN0aRm5tVb8wYc1dEf' })
  @Matches(ID, { message: 'must be a service id' })
  serviceId!: string;

  @ApiProperty({ example: 'Hk2PqN0aRm5tVb8wYc1dEf' })
  @Matches(ID, { message: 'must be a staff id' })
  staffId!: string;

  @ApiProperty({ example: '2026-12-01T10:00:00.000Z', description: 'ISO instant (UTC); the end follows from the service' })
  @IsISO8601({ strict: true })
  startTime!: string;

  @ApiPropertyOptional({ description: 'Accepted for compatibility and ignored: the service (and staff) decide the duration' })
  @IsOptional()
  @IsISO8601({ strict: true })
  endTime?: string;

  @ApiPropertyOptional({ description: 'A specific room (must be one of the service’s rooms)' })
  @IsOptional()
  @Matches(ID, { message: 'must be a room id' })
  roomId?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'must be a machine id' })
  machineId?: string | null;

  @ApiPropertyOptional({ example: 55, description: 'Price override in the branch currency (front desk only)' })
  @IsOptionalNotNull()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0)
  @Max(1_000_000)
  price?: number;

  @ApiPropertyOptional({ description: 'The client asked for this stylist' })
  @IsOptionalNotNull()
  @IsBoolean()
  staffRequest?: boolean;
}

export class ClientAppointmentScheduleDto {
  @ApiPropertyOptional({ example: 'Ck2PqN0aRm5tVb8wYc1dEf', description: 'The client; may be omitted (or null, as an availability answer without a client has it) when the booking’s clientId is given' })
  @IsOptional()
  @Matches(ID, { message: 'must be a client id' })
  clientId?: string | null;

  @ApiProperty({ type: [ServiceScheduleDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ServiceScheduleDto)
  serviceSchedules!: ServiceScheduleDto[];
}

export class CreateBookingDto {
  @ApiPropertyOptional({ description: 'The booking client (defaults to the first schedule’s client)' })
  @IsOptional()
  @Matches(ID, { message: 'must be a client id' })
  clientId?: string;

  @ApiPropertyOptional({ enum: ['ACTIVE', 'RESERVED'], default: 'ACTIVE', description: 'RESERVED holds the time for the branch’s hold minutes unless activated' })
  @IsOptionalNotNull()
  @IsIn(['ACTIVE', 'RESERVED'])
  bookingStatus?: 'ACTIVE' | 'RESERVED';

  @ApiPropertyOptional({ example: 'Prefers a quiet chair' })
  @IsOptional()
  @IsString()
  @MaxLength(50_000)
  note?: string;

  @ApiProperty({ type: [ClientAppointmentScheduleDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ClientAppointmentScheduleDto)
  clientAppointmentSchedules!: ClientAppointmentScheduleDto[];
}

export class BookingNoteDto {
  @ApiProperty({ example: 'Running ten minutes late' })
  @IsString()
  @MaxLength(50_000)
  note!: string;
}
