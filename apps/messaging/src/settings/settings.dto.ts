import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class QuietHoursDto {
  @ApiPropertyOptional({ example: '21:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:MM' })
  start!: string;

  @ApiPropertyOptional({ example: '09:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:MM' })
  end!: string;
}

/** Partial update: only the fields sent change. */
export class UpdateSettingsDto {
  @ApiPropertyOptional({ description: 'Minutes before the first appointment, e.g. [1440, 120]', type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsInt({ each: true })
  @Min(5, { each: true })
  @Max(20_160, { each: true })
  reminderOffsetsMinutes?: number[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean() confirmations?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() reminders?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() rescheduleNotices?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() cancellations?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() sms?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() email?: boolean;

  @ApiPropertyOptional({ type: QuietHoursDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto;

  @ApiPropertyOptional({ description: 'SMS per local day for the branch' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  dailySmsLimit?: number;

  @ApiPropertyOptional({ description: "ISO country codes SMS may go to (null: the branch's country)", type: [String], nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(250)
  @Matches(/^[A-Z]{2}$/, { each: true })
  allowedCountries?: string[] | null;

  @ApiPropertyOptional({ example: 'en-IE' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Z]{2})?$/)
  locale?: string;
}

export class TemplateDto {
  @ApiPropertyOptional({ description: 'Email subject (EMAIL templates)' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  subject?: string;

  @ApiPropertyOptional({ description: 'Text with {{placeholders}}' })
  @IsString()
  @MaxLength(1600)
  body!: string;
}

export class TemplatePreviewDto extends TemplateDto {
  @ApiPropertyOptional({ enum: ['CONFIRMATION', 'REMINDER', 'RESCHEDULED', 'CANCELLATION'] })
  @IsIn(['CONFIRMATION', 'REMINDER', 'RESCHEDULED', 'CANCELLATION'])
  kind!: 'CONFIRMATION' | 'REMINDER' | 'RESCHEDULED' | 'CANCELLATION';

  @ApiPropertyOptional({ enum: ['SMS', 'EMAIL'] })
  @IsIn(['SMS', 'EMAIL'])
  channel!: 'SMS' | 'EMAIL';
}
