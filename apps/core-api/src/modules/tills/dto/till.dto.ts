import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { IsOptionalNotNull } from '../../../shared/http/optional';
import { BooleanQuery } from '../../../shared/http/query-flags';
import { IsEntityId, NotBlank, VersionedUpdateDto } from '../../catalogue/shared/catalogue.dto';
import { IsMoney } from '../../retail/amounts';

export const TENDERS = ['CASH', 'CARD', 'VOUCHER', 'OTHER'] as const;

export class CreateTillDto {
  @ApiProperty({ example: 'Front desk' })
  @IsString()
  @Length(1, 100)
  @NotBlank()
  name!: string;
}

export class UpdateTillDto extends VersionedUpdateDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  name?: string;
}

export class OpenTillDto {
  @ApiPropertyOptional({ example: 150, description: 'Cash in the drawer at opening (the float)', default: 0 })
  @IsOptionalNotNull()
  @IsMoney()
  openingFloat?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class CountedTenderDto {
  @ApiProperty({ enum: ['CARD', 'VOUCHER', 'OTHER'] })
  @IsIn(['CARD', 'VOUCHER', 'OTHER'])
  type!: 'CARD' | 'VOUCHER' | 'OTHER';

  @ApiProperty({ example: 820.5, description: 'The total counted for this tender (e.g. the card terminal’s end-of-day report)' })
  @IsMoney({ allowNegative: true })
  amount!: number;
}

export class CloseTillDto {
  @ApiProperty({ example: 412.3, description: 'Cash counted in the drawer, the float included' })
  @IsMoney()
  countedCash!: number;

  @ApiPropertyOptional({ type: [CountedTenderDto], description: 'Totals counted for the other tenders' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => CountedTenderDto)
  counted?: CountedTenderDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class TillBalanceQuery {
  @ApiPropertyOptional({ description: 'A past session (default: the open one, else the last)' })
  @IsOptional()
  @IsEntityId()
  tillSessionId?: string;

  @ApiPropertyOptional({ description: 'Phorest’s flag; there are no integrated payment providers here, so the list is empty' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  includeIntegratedPayments?: boolean;
}
