import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsOptionalNotNull } from '../../../shared/http/optional';
import { BooleanQuery } from '../../../shared/http/query-flags';
import { ArchivableListQuery, IsEntityId, NotBlank, VersionedUpdateDto } from '../../catalogue/shared/catalogue.dto';
import { IsMoney } from '../../retail/amounts';

export const PRODUCT_TYPES = ['RETAIL', 'PROFESSIONAL'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];
/** Printable, no spaces: what a scanner reads. */
const BARCODE = /^[\x21-\x7e]{1,64}$/;

export class ProductListQuery extends ArchivableListQuery {
  @ApiPropertyOptional({ enum: PRODUCT_TYPES })
  @IsOptional()
  @IsIn(PRODUCT_TYPES)
  productType?: ProductType;

  @ApiPropertyOptional({ description: 'Matches name, SKU or barcode' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  searchQuery?: string;

  @ApiPropertyOptional({ description: 'Exact barcode' })
  @IsOptional()
  @Matches(BARCODE, { message: 'must be 1-64 printable characters without spaces' })
  barcode?: string;

  @ApiPropertyOptional({ description: 'Only archived products' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  archivedOnly?: boolean;

  @ApiPropertyOptional({ description: 'Only products with nothing in stock (level ≤ 0)' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  outOfStock?: boolean;

  @ApiPropertyOptional({ description: 'Only products at or below their reorder level' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  lowStock?: boolean;

  @ApiPropertyOptional({ description: 'Changed at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updated_from?: string;

  @ApiPropertyOptional({ description: 'Changed at or before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updated_to?: string;
}

class ProductFields {
  @ApiPropertyOptional({ example: 'RED-SH-250', description: 'Stock-keeping unit, unique in the branch (Phorest: code)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @NotBlank()
  sku?: string | null;

  @ApiPropertyOptional({ example: '5012345678900', description: 'Unique in the branch' })
  @IsOptional()
  @Matches(BARCODE, { message: 'must be 1-64 printable characters without spaces' })
  barcode?: string | null;

  @ApiPropertyOptional({ example: 12.5, description: 'What the salon paid, per unit (for stock valuation)' })
  @IsOptionalNotNull()
  @IsMoney()
  costPrice?: number;

  @ApiPropertyOptional({ description: 'Tax rate of the branch; null uses the branch default for products' })
  @IsOptional()
  @IsEntityId()
  taxRateId?: string | null;

  @ApiPropertyOptional({ example: 3, description: 'Low stock at or below this level' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  reorderLevel?: number;
}

export class CreateProductDto extends ProductFields {
  @ApiProperty({ example: 'Redken All Soft Shampoo 300ml' })
  @IsString()
  @Length(1, 200)
  @NotBlank()
  name!: string;

  @ApiProperty({ example: 24.5, description: 'Retail price, tax-inclusive, in the branch currency' })
  @IsMoney()
  price!: number;

  @ApiPropertyOptional({ enum: PRODUCT_TYPES, default: 'RETAIL', description: 'PROFESSIONAL products are used in services, not sold' })
  @IsOptionalNotNull()
  @IsIn(PRODUCT_TYPES)
  type?: ProductType;

  @ApiPropertyOptional({ example: 12, description: 'Units on hand now (recorded as the first stock movement)' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  openingStock?: number;
}

export class UpdateProductDto extends VersionedUpdateDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 200)
  @NotBlank()
  name?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsMoney()
  price?: number;

  @ApiPropertyOptional({ enum: PRODUCT_TYPES })
  @IsOptionalNotNull()
  @IsIn(PRODUCT_TYPES)
  type?: ProductType;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @NotBlank()
  sku?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(BARCODE, { message: 'must be 1-64 printable characters without spaces' })
  barcode?: string | null;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsMoney()
  costPrice?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  taxRateId?: string | null;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  reorderLevel?: number;
}
