import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsOptionalNotNull, NotBlank, VersionedUpdateDto } from '../../shared/catalogue.dto';

export class CreateStaffCategoryDto {
  @ApiProperty({ example: 'Senior Stylist', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @NotBlank()
  name!: string;
}

export class UpdateStaffCategoryDto extends VersionedUpdateDto {
  @ApiPropertyOptional({ example: 'Art Director', maxLength: 100 })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  name?: string;
}
