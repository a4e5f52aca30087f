import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../../shared/http/paging';
import { IsOptionalNotNull } from '../../../shared/http/optional';
import { BooleanQuery } from '../../../shared/http/query-flags';
import { IsEntityId } from '../../catalogue/shared/catalogue.dto';
import { IsMoney } from '../../retail/amounts';

export const SERIAL = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const SERIAL_MESSAGE = 'must be 1-64 letters, digits, - or _';

export class CreateVoucherDto {
  @ApiPropertyOptional({ example: 'GV-2026-0042', description: 'Unique in the business (412 when taken); generated when absent' })
  @IsOptional()
  @Matches(SERIAL, { message: SERIAL_MESSAGE })
  serialNumber?: string;

  @ApiProperty({ example: '2026-12-01T10:00:00.000Z', description: 'When it was issued (default now)' })
  @IsOptionalNotNull()
  @IsISO8601({ strict: true })
  issueDate?: string;

  @ApiPropertyOptional({
    example: '2027-12-01T10:00:00.000Z',
    description: 'After this instant it cannot be redeemed; null = never expires',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiryDate?: string | null;

  @ApiPropertyOptional({ description: 'The client it belongs to' })
  @IsOptional()
  @IsEntityId()
  clientId?: string | null;

  @ApiProperty({ description: 'The branch issuing it (its currency is the voucher’s)' })
  @IsEntityId()
  creatingBranchId!: string;

  @ApiProperty({ example: 50 })
  @IsMoney()
  @Min(0.001)
  originalBalance!: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string | null;
}

/** Phorest's "update balance": the new remaining balance (never below zero). */
export class UpdateVoucherDto {
  @ApiProperty({ example: 20 })
  @IsMoney()
  remainingBalance!: number;

  @ApiPropertyOptional({ example: 3, description: 'The version you read; when sent, a stale one answers 409' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;

  @ApiPropertyOptional({ description: 'Why (kept in the history)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class VoucherListQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  clientId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(SERIAL, { message: SERIAL_MESSAGE })
  serialNumber?: string;

  @ApiPropertyOptional({ description: 'Include vouchers with nothing left on them' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  includeUsed?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  updated_from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  updated_to?: string;
}
