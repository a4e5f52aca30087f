import { IsOptionalNotNull } from '../../../shared/http/optional';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsString, Matches, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { WEEKDAYS } from '../../branches/dto/branch.dto';
import type { Weekday } from '../../branches/dto/branch.dto';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d(:00)?$|^24:00(:00)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ShiftDto {
  @ApiProperty({ example: '09:00', description: 'Local wall time in the branch zone; an end at or before the start runs past midnight' })
  @Matches(HH_MM, { message: 'must be HH:mm' })
  startTime!: string;

  @ApiProperty({ example: '17:30' })
  @Matches(HH_MM, { message: 'must be HH:mm' })
  endTime!: string;
}

export class WeeklyShiftDto extends ShiftDto {
  @ApiProperty({ enum: WEEKDAYS, example: 'TUESDAY' })
  @IsIn(WEEKDAYS)
  dayOfWeek!: Weekday;
}

export class WeeklyRosterDto {
  @ApiProperty({ type: [WeeklyShiftDto], description: 'The whole weekly pattern (replaces the previous one); several shifts a day allowed' })
  @IsArray()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => WeeklyShiftDto)
  weekly!: WeeklyShiftDto[];
}

export class RosterOverrideDto {
  @ApiPropertyOptional({ description: 'Not working that day' })
  @IsOptionalNotNull()
  @IsBoolean()
  dayOff?: boolean;

  @ApiPropertyOptional({ type: [ShiftDto], description: 'Working these hours instead of the weekly pattern' })
  @ValidateIf((o: RosterOverrideDto) => !o.dayOff)
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ShiftDto)
  intervals?: ShiftDto[];
}

/** A break or a span of time off: either ISO instants, or a local date with local times. */
export class TimeSpanDto {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'Local date (with HH:mm startTime/endTime); omit to send ISO instants' })
  @IsOptionalNotNull()
  @Matches(DATE, { message: 'must be YYYY-MM-DD' })
  breakDate?: string;

  @ApiProperty({ example: '2026-12-01T13:00:00Z', description: 'ISO instant, or HH:mm with breakDate' })
  @IsString()
  @MaxLength(40)
  startTime!: string;

  @ApiProperty({ example: '2026-12-01T13:30:00Z' })
  @IsString()
  @MaxLength(40)
  endTime!: string;
}

export class BreakDto extends TimeSpanDto {
  @ApiPropertyOptional({ example: 'Lunch', maxLength: 100, description: 'What the break is for; same as `description`' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(100)
  label?: string;

  @ApiPropertyOptional({ example: 'Lunch', maxLength: 100, description: 'The reference’s name for `label` (send either; both must agree)' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(100)
  description?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  paidBreak?: boolean;
}

/** A break as answered (OpenAPI document only; the view builds it). */
export class BreakResponse {
  @ApiProperty() breakId!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ example: '2026-12-01', description: 'Local date' }) breakDate!: string;
  @ApiProperty({ example: '13:00:00', description: 'Local start time' }) startTime!: string;
  @ApiProperty({ example: '13:30:00', description: 'Local end time' }) endTime!: string;
  @ApiProperty({ example: '2026-12-01T13:00:00.000Z' }) startDateTime!: string;
  @ApiProperty({ example: '2026-12-01T13:30:00.000Z' }) endDateTime!: string;
  @ApiProperty({ nullable: true, type: String, example: 'Lunch', description: 'Same as `description`' }) label!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Lunch', description: 'The reference’s name for `label`' }) description!: string | null;
  @ApiProperty() paidBreak!: boolean;
}

export class UpdateBreakDto extends BreakDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version!: number;
}

export class TimeOffDto {
  @ApiProperty({ example: '2026-12-24T00:00:00Z', description: 'ISO instant' })
  @IsISO8601({ strict: true })
  startTime!: string;

  @ApiProperty({ example: '2026-12-27T00:00:00Z' })
  @IsISO8601({ strict: true })
  endTime!: string;

  @ApiPropertyOptional({ example: 'Christmas' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class UpdateTimeOffDto extends TimeOffDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version!: number;
}

export class DateRangeQuery {
  @ApiProperty({ name: 'from_date', example: '2026-12-01', description: 'First local date (inclusive)' })
  @Matches(DATE, { message: 'must be YYYY-MM-DD' })
  from_date!: string;

  @ApiProperty({ name: 'to_date', example: '2026-12-07', description: 'Last local date (inclusive), at most 31 days after from_date' })
  @Matches(DATE, { message: 'must be YYYY-MM-DD' })
  to_date!: string;

  @ApiPropertyOptional({ name: 'staff_id' })
  @IsOptionalNotNull()
  @Matches(/^[A-Za-z0-9_-]{22}$/, { message: 'must be a staff id' })
  staff_id?: string;
}
