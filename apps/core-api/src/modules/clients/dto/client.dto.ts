import { IsOptionalNotNull } from '../../../shared/http/optional';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, MaxLength, Min, ValidateNested } from 'class-validator';

const ID = /^[A-Za-z0-9_-]{22}$/;

export class AddressDto {
  @ApiPropertyOptional({ example: '4 Camden Row' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  streetAddress1?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  streetAddress2?: string;

  @ApiPropertyOptional({ example: 'Dublin 8' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  city?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  state?: string;

  @ApiPropertyOptional({ example: 'D08 X2A3' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string;

  @ApiPropertyOptional({ example: 'IE' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' })
  country?: string;
}

@ApiExtraModels(AddressDto)
class ClientFields {
  @ApiPropertyOptional({ example: '087 123 4567', description: 'Mobile; stored in E.164 (local forms use the branch country)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  mobile?: string;

  @ApiPropertyOptional({ example: '01 555 0123' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  landLine?: string;

  @ApiPropertyOptional({ example: 'siobhan@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({
    oneOf: [{ $ref: getSchemaPath(AddressDto) }, { type: 'string', example: '4 Camden Row' }],
    description: 'The address lines, or (as Phorest’s reference sends it) one string, kept as streetAddress1',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? Object.assign(new AddressDto(), { streetAddress1: value.trim() || null }) : value))
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;

  @ApiPropertyOptional({ example: '1990-04-21' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  birthDate?: string;

  @ApiPropertyOptional({ enum: ['MALE', 'FEMALE', 'OTHER'] })
  @IsOptional()
  @IsIn(['MALE', 'FEMALE', 'OTHER'])
  gender?: 'MALE' | 'FEMALE' | 'OTHER';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  notes?: string;

  @ApiPropertyOptional({ description: 'May we text reminders?' })
  @IsOptionalNotNull()
  @IsBoolean()
  smsReminderConsent?: boolean;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  emailReminderConsent?: boolean;

  @ApiPropertyOptional({ description: 'May we text offers?' })
  @IsOptionalNotNull()
  @IsBoolean()
  smsMarketingConsent?: boolean;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  emailMarketingConsent?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'must be a staff id' })
  preferredStaffId?: string;

  @ApiPropertyOptional({ description: 'Your system’s id for this client' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  externalId?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(ID, { each: true, message: 'each must be a client category id' })
  clientCategoryIds?: string[];

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  banned?: boolean;
}

export class CreateClientDto extends ClientFields {
  @ApiProperty({ example: 'Siobhán' })
  @IsString()
  @Length(1, 100)
  firstName!: string;

  @ApiProperty({ example: 'Murphy' })
  @IsString()
  @Length(1, 100)
  lastName!: string;

  @ApiPropertyOptional({ description: 'The branch that created the client (its country reads local phone numbers)' })
  @IsOptionalNotNull()
  @Matches(ID, { message: 'must be a branch id' })
  creatingBranchId?: string;
}

export class UpdateClientDto extends ClientFields {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  firstName?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  lastName?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  archived?: boolean;
}
