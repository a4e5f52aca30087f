import { IsOptionalNotNull } from '../../../shared/http/optional';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  IsTimeZone,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class OpeningHoursDto {
  @ApiProperty({ enum: WEEKDAYS, example: 'TUESDAY' })
  @IsIn(WEEKDAYS)
  dayOfWeek!: Weekday;

  @ApiProperty({ example: '09:00', description: 'Local time in the branch time zone (HH:mm)' })
  @Matches(HH_MM, { message: 'must be HH:mm' })
  startTime!: string;

  @ApiProperty({ example: '18:00' })
  @Matches(HH_MM, { message: 'must be HH:mm' })
  endTime!: string;
}

export class OnlineBookingSettingsDto {
  @ApiPropertyOptional({ example: 120, description: 'Minimum notice for online bookings, in minutes' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(60 * 24 * 30)
  minNoticeMinutes?: number;

  @ApiPropertyOptional({ example: 60, description: 'How many days ahead online booking opens' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(730)
  horizonDays?: number;

  @ApiPropertyOptional({ example: 15, description: 'Start-time grid in minutes, counted from local midnight' })
  @IsOptionalNotNull()
  @IsIn([5, 10, 15, 20, 30, 60])
  slotStepMinutes?: number;

  @ApiPropertyOptional({ example: 10, description: 'How long a RESERVED booking holds its slot, in minutes' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(120)
  holdMinutes?: number;

  @ApiPropertyOptional({ example: 24, description: 'Customers may cancel or move online until this many hours before' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(24 * 30)
  cancellationWindowHours?: number;
}

class BranchFields {
  @ApiPropertyOptional({ example: '12 Drury Street' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  streetAddress1?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  streetAddress2?: string;

  @ApiPropertyOptional({ example: 'Dublin 2' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  city?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  state?: string;

  @ApiPropertyOptional({ example: 'D02 W017' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string;

  @ApiPropertyOptional({ example: '+35315550100' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;

  @ApiPropertyOptional({ example: 'hello@foundation-hair.example' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: 53.3419 })
  @IsOptional()
  @IsLatitude()
  latitude?: number;

  @ApiPropertyOptional({ example: -6.2633 })
  @IsOptional()
  @IsLongitude()
  longitude?: number;

  @ApiPropertyOptional({ type: [OpeningHoursDto] })
  @IsOptionalNotNull()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => OpeningHoursDto)
  openingHours?: OpeningHoursDto[];

  @ApiPropertyOptional({ type: OnlineBookingSettingsDto })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => OnlineBookingSettingsDto)
  onlineBooking?: OnlineBookingSettingsDto;
}

export class CreateBranchDto extends BranchFields {
  @ApiProperty({ example: 'Foundation Hair Rathmines' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'foundation-hair-rathmines', description: 'The booking page address: /book/<slug>' })
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'must be lowercase letters, digits and single hyphens' })
  @MaxLength(100)
  slug!: string;

  @ApiProperty({ example: 'Europe/Dublin', description: 'IANA time zone' })
  @IsTimeZone()
  timeZone!: string;

  @ApiProperty({ example: 'IE', description: 'ISO 3166-1 alpha-2; the default for local phone numbers' })
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' })
  country!: string;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 currency' })
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code' })
  currencyCode!: string;
}

export class UpdateBranchDto extends BranchFields {
  @ApiProperty({ example: 3, description: 'The version you read; a stale version answers 409' })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'must be lowercase letters, digits and single hyphens' })
  @MaxLength(100)
  slug?: string;

  @ApiPropertyOptional({ example: 'Europe/Dublin' })
  @IsOptionalNotNull()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: 'IE' })
  @IsOptionalNotNull()
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' })
  country?: string;

  @ApiPropertyOptional({ example: 'EUR' })
  @IsOptionalNotNull()
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code' })
  currencyCode?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  archived?: boolean;
}
