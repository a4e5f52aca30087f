import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../../shared/http/paging';
import { IsOptionalNotNull } from '../../../shared/http/optional';
import { IsEntityId } from '../../catalogue/shared/catalogue.dto';

export const OPERATION_TYPES = ['DEDUCT', 'INCREASE'] as const;
export const ADJUSTMENT_REASONS = ['DELIVERY', 'LOSS', 'PROFESSIONAL_USE', 'STOCK_TAKE'] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];
export const MOVEMENT_REASONS = ['SALE', 'REFUND', 'DELIVERY', 'LOSS', 'PROFESSIONAL_USE', 'STOCK_TAKE', 'ADJUSTMENT'] as const;
const BARCODE = /^[\x21-\x7e]{1,64}$/;

/** One line of Phorest's stock adjustment: a product (by barcode, or our productId) and a quantity. */
export class StockLineDto {
  @ApiPropertyOptional({ example: '5012345678900' })
  @IsOptional()
  @Matches(BARCODE, { message: 'must be 1-64 printable characters without spaces' })
  barcode?: string;

  @ApiPropertyOptional({ description: 'Instead of the barcode' })
  @IsOptional()
  @IsEntityId()
  productId?: string;

  @ApiProperty({ example: 6, description: 'Units moved; for STOCK_TAKE, the units counted on the shelf' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  quantity!: number;

  @ApiPropertyOptional({
    enum: OPERATION_TYPES,
    description: 'Phorest’s direction; implied by DELIVERY (INCREASE), LOSS and PROFESSIONAL_USE (DEDUCT)',
  })
  @IsOptional()
  @IsIn(OPERATION_TYPES)
  operationType?: (typeof OPERATION_TYPES)[number];

  @ApiPropertyOptional({ enum: ADJUSTMENT_REASONS })
  @IsOptional()
  @IsIn(ADJUSTMENT_REASONS)
  reason?: AdjustmentReason;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class StockAdjustmentDto {
  @ApiProperty({ type: [StockLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => StockLineDto)
  stocks!: StockLineDto[];
}

export class StockCountDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(BARCODE, { message: 'must be 1-64 printable characters without spaces' })
  barcode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  productId?: string;

  @ApiProperty({ example: 4, description: 'Units counted on the shelf' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  countedQuantity!: number;
}

export class StockTakeDto {
  @ApiProperty({ type: [StockCountDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => StockCountDto)
  counts!: StockCountDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class InventoryTransactionQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  productId?: string;

  @ApiPropertyOptional({ enum: MOVEMENT_REASONS })
  @IsOptional()
  @IsIn(MOVEMENT_REASONS)
  reason?: (typeof MOVEMENT_REASONS)[number];

  @ApiPropertyOptional({ description: 'Movements at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updated_from?: string;

  @ApiPropertyOptional({ description: 'Movements at or before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updated_to?: string;
}

export class RetailSettingsDto {
  @ApiProperty({ example: 1, description: 'The version you read (0 before the first change)' })
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  version!: number;

  @ApiPropertyOptional({ description: 'Let sales and adjustments take stock below zero' })
  @IsOptionalNotNull()
  @IsBoolean()
  allowNegativeStock?: boolean;
}
