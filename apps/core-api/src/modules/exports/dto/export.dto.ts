import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../../shared/http/paging';

/** Phorest's job types; we produce the first two. */
export const JOB_TYPES = [
  'TRANSACTIONS_CSV',
  'CLIENT_CSV',
  'SUNDRIES_CSV',
  'DATEV_CSV',
  'CLIENT_COURSES_CSV',
  'CLIENT_COURSE_TRANSACTIONS_CSV',
] as const;
export const SUPPORTED_JOB_TYPES = ['TRANSACTIONS_CSV', 'CLIENT_CSV'] as const;
export type SupportedJobType = (typeof SUPPORTED_JOB_TYPES)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateExportJobDto {
  @ApiProperty({ enum: SUPPORTED_JOB_TYPES, description: 'TRANSACTIONS_CSV: purchase lines; CLIENT_CSV: the business’s clients' })
  @IsIn(JOB_TYPES)
  jobType!: (typeof JOB_TYPES)[number];

  @ApiPropertyOptional({
    example: '2026-01-01',
    description: 'First local date (required for TRANSACTIONS_CSV; for CLIENT_CSV, clients changed from)',
  })
  @IsOptional()
  @Matches(DATE, { message: 'must be YYYY-MM-DD' })
  startFilter?: string;

  @ApiPropertyOptional({ example: '2026-01-31', description: 'Last local date, inclusive (at most 366 days after startFilter)' })
  @IsOptional()
  @Matches(DATE, { message: 'must be YYYY-MM-DD' })
  finishFilter?: string;

  @ApiPropertyOptional({ description: 'Accepted for Phorest compatibility; not applied (use startFilter and finishFilter)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  filterExpression?: string;
}

export class DownloadQuery {
  @ApiProperty({ description: 'The token in tempCsvExternalUrl' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  token?: string;
}

export { PageQuery };
