import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsEntityId } from '../../catalogue/shared/catalogue.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reports cover local dates (the branch's time zone), at most 366 days, optionally one staff member. */
export class ReportQuery {
  @ApiProperty({ example: '2026-01-01', description: 'First local date (YYYY-MM-DD)' })
  @Matches(DATE, { message: 'must be YYYY-MM-DD' })
  from_date!: string;

  @ApiProperty({ example: '2026-12-31', description: 'Last local date, inclusive; at most 366 days after from_date' })
  @Matches(DATE, { message: 'must be YYYY-MM-DD' })
  to_date!: string;

  @ApiPropertyOptional({ description: 'Only this staff member' })
  @IsOptional()
  @IsEntityId()
  staff_id?: string;
}

export class RetentionQuery extends ReportQuery {
  @ApiPropertyOptional({
    example: 8,
    default: 8,
    description: 'A client returned when they came back within this many weeks of their first visit in the range',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(52)
  weeks = 8;
}
