import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNumber, IsString, Length, Max, Min } from 'class-validator';
import { IsOptionalNotNull } from '../../../shared/http/optional';
import { NotBlank, VersionedUpdateDto } from '../../catalogue/shared/catalogue.dto';

const RATE = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 } as const;

export class CreateTaxRateDto {
  @ApiProperty({ example: 'VAT services (reduced)' })
  @IsString()
  @Length(1, 100)
  @NotBlank()
  name!: string;

  @ApiProperty({ example: 13.5, description: 'Percentage, 0 to 100, at most 3 decimals (stored exactly)' })
  @IsNumber(RATE, { message: 'rate must be a percentage with at most 3 decimals' })
  @Min(0)
  @Max(100)
  rate!: number;

  @ApiPropertyOptional({ description: 'The rate for services and appointments sold at the till (one per branch)' })
  @IsOptionalNotNull()
  @IsBoolean()
  defaultForServices?: boolean;

  @ApiPropertyOptional({ description: 'The rate for products that name none (one per branch)' })
  @IsOptionalNotNull()
  @IsBoolean()
  defaultForProducts?: boolean;
}

export class UpdateTaxRateDto extends VersionedUpdateDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  name?: string;

  @ApiPropertyOptional({ example: 23 })
  @IsOptionalNotNull()
  @IsNumber(RATE, { message: 'rate must be a percentage with at most 3 decimals' })
  @Min(0)
  @Max(100)
  rate?: number;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  defaultForServices?: boolean;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  defaultForProducts?: boolean;
}
