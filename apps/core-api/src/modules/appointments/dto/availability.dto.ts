import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsISO8601, IsOptional, Matches, ValidateNested } from 'class-validator';

const ID = /^[A-Za-z0-9_-]{22}$/;

export class ServiceSelectionDto {
  @ApiProperty({ example: 'Xk2PqN0aRm5tVb8wYc1dEf' })
  @Matches(ID, { message: 'must be a service id' })
  serviceId!: string;

  @ApiPropertyOptional({ description: 'A chosen stylist; omit for anyone qualified' })
  @IsOptional()
  @Matches(ID, { message: 'must be a staff id' })
  staffId?: string;
}

/**
 * One entry of `clientServiceSelections`: either Phorest's live form (a client with its
 * ordered `serviceSelections`) or the flat form (`serviceId`, `staffId?`) where every entry is
 * one more service for the same client.
 */
export class ClientServiceSelectionDto {
  @ApiPropertyOptional({ description: 'The client (their own appointments are avoided)' })
  @IsOptional()
  @Matches(ID, { message: 'must be a client id' })
  clientId?: string;

  @ApiPropertyOptional({ type: [ServiceSelectionDto], description: 'Services back to back, in order' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ServiceSelectionDto)
  serviceSelections?: ServiceSelectionDto[];

  @ApiPropertyOptional({ example: 'Xk2PqN0aRm5tVb8wYc1dEf' })
  @IsOptional()
  @Matches(ID, { message: 'must be a service id' })
  serviceId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'must be a staff id' })
  staffId?: string;
}

export class AvailabilityRequestDto {
  @ApiProperty({ example: '2026-12-01T00:00:00Z', description: 'Search window start (ISO instant)' })
  @IsISO8601({ strict: true })
  startTime!: string;

  @ApiProperty({ example: '2026-12-02T00:00:00Z', description: 'Search window end (at most 31 days after the start)' })
  @IsISO8601({ strict: true })
  endTime!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'must be a client id' })
  clientId?: string;

  @ApiProperty({ type: [ClientServiceSelectionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ClientServiceSelectionDto)
  clientServiceSelections!: ClientServiceSelectionDto[];

  @ApiPropertyOptional({ description: 'Apply online booking rules (notice, horizon, online-bookable services and staff)' })
  @IsOptional()
  @IsBoolean()
  isOnlineAvailability?: boolean;

  @ApiPropertyOptional({ description: 'Moving this booking: its own appointments count as free' })
  @IsOptional()
  @Matches(ID, { message: 'must be a booking id' })
  rescheduleBookingId?: string;
}
