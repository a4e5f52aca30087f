import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
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
/** What a line's reason may say: ours, any case, spaces or hyphens for underscores, and a few other spellings. */
export const INPUT_REASONS = [...ADJUSTMENT_REASONS, 'ADJUSTMENT'] as const;
export type InputReason = (typeof INPUT_REASONS)[number];
const REASON_SPELLINGS: Record<string, InputReason> = {
  STOCKTAKE: 'STOCK_TAKE',
  STOCK_COUNT: 'STOCK_TAKE',
  DELIVERED: 'DELIVERY',
  LOST: 'LOSS',
  PROFESSIONAL: 'PROFESSIONAL_USE',
  SALON_USE: 'PROFESSIONAL_USE',
  MANUAL: 'ADJUSTMENT',
  MANUAL_ADJUSTMENT: 'ADJUSTMENT',
  STOCK_ADJUSTMENT: 'ADJUSTMENT',
};

/** "delivery", "Professional use", "stock-take" → DELIVERY, PROFESSIONAL_USE, STOCK_TAKE; anything else is left for @IsIn to refuse. */
export function normalizeReason(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const upper = value.trim().toUpperCase().replace(/[\s-]+/g, '_');
  return REASON_SPELLINGS[upper] ?? ((INPUT_REASONS as readonly string[]).includes(upper) ? upper : value);
}

export const MOVEMENT_REASONS = ['SALE', 'REFUND', 'DELIVERY', 'LOSS', 'PROFESSIONAL_USE', 'STOCK_TAKE', 'ADJUSTMENT'] as const;
const BARCODE = /^[\x21-\x7e]{1,64}$/;

/**
 * One line of Phorest's stock adjustment: a product (by any of its `barcodes`, as the reference
 * sends them, or one `barcode`, or our productId) and a quantity.
 */
export class StockLineDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['5012345678900'],
    description: 'Phorest’s reference shape: the product’s barcodes; the line is for the product any of them belongs to',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(BARCODE, { each: true, message: 'each must be 1-64 printable characters without spaces' })
  barcodes?: string[];

  @ApiPropertyOptional({ example: '5012345678900', description: 'Instead of barcodes' })
  @IsOptional()
  @Matches(BARCODE, { message: 'must be 1-64 printable characters without spaces' })
  barcode?: string;

  @ApiPropertyOptional({ description: 'Instead of the barcode' })
  @IsOptional()
  @IsEntityId()
  productId?: string;

  @ApiProperty({
    example: 6,
    description:
      'Units moved, signed: a negative quantity deducts, a positive one adds (unless operationType or the reason says it deducts). With barcodes (the reference shape) and neither operationType nor a reason, the sign alone decides. For STOCK_TAKE, the units counted on the shelf (0 or more). Never 0 otherwise',
  })
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  quantity!: number;

  @ApiPropertyOptional({
    enum: OPERATION_TYPES,
    description: 'Phorest’s direction; implied by DELIVERY (INCREASE), LOSS and PROFESSIONAL_USE (DEDUCT)',
  })
  @IsOptional()
  @IsIn(OPERATION_TYPES)
  operationType?: (typeof OPERATION_TYPES)[number];

  @ApiPropertyOptional({
    enum: INPUT_REASONS,
    description:
      'Any case, spaces or hyphens for underscores ("delivery", "Professional use"); also STOCKTAKE, STOCK_COUNT, DELIVERED, LOST, SALON_USE, MANUAL. ADJUSTMENT (or none): direction from operationType or the sign',
  })
  @IsOptional()
  @Transform(({ value }) => normalizeReason(value))
  @IsIn(INPUT_REASONS)
  reason?: InputReason;

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
