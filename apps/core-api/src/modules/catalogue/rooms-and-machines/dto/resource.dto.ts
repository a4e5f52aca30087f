import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ArchivableListQuery, IsOptionalNotNull, NotBlank, VersionedUpdateDto } from '../../shared/catalogue.dto';

export class ResourceListQuery extends ArchivableListQuery {
  @ApiPropertyOptional({ example: '2026-01-31T09:00:00.000Z', description: 'Only entries changed at or after this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updated_from?: string;
}

export class CreateResourceDto {
  @ApiProperty({ example: 'Treatment room 1', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @NotBlank()
  name!: string;

  @ApiPropertyOptional({ example: 1, default: 1, minimum: 1, maximum: 100, description: 'How many appointments it hosts at the same time' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(100)
  capacity?: number;
}

export class UpdateResourceDto extends VersionedUpdateDto {
  @ApiPropertyOptional({ example: 'Treatment room 2', maxLength: 100 })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  name?: string;

  @ApiPropertyOptional({ example: 2, minimum: 1, maximum: 100 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(100)
  capacity?: number;
}
