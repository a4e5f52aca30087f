import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { ArchivableListQuery, IsOptionalNotNull, NotBlank, VersionedUpdateDto } from '../../shared/catalogue.dto';

export class ClientCategoryListQuery extends ArchivableListQuery {
  @ApiPropertyOptional({ example: 'VIP', description: 'Only categories whose name contains this text (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}

export class CreateClientCategoryDto {
  @ApiProperty({ example: 'VIP', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @NotBlank()
  name!: string;
}

export class UpdateClientCategoryDto extends VersionedUpdateDto {
  @ApiPropertyOptional({ example: 'Loyal regulars', maxLength: 100 })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  name?: string;
}
