import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { IsOptionalNotNull, NotBlank, VersionedUpdateDto } from '../../shared/catalogue.dto';

export class CreateServiceCategoryDto {
  @ApiProperty({ example: 'Colour', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @NotBlank()
  name!: string;

  @ApiPropertyOptional({
    example: 10,
    default: 0,
    minimum: 0,
    maximum: 1_000_000,
    description: 'Lists show categories by sortOrder, then name',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  sortOrder?: number;
}

export class UpdateServiceCategoryDto extends VersionedUpdateDto {
  @ApiPropertyOptional({ example: 'Colour & toning', maxLength: 100 })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  name?: string;

  @ApiPropertyOptional({ example: 20, minimum: 0, maximum: 1_000_000 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  sortOrder?: number;
}
