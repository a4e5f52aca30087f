import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ArchivableListQuery, IsEntityId, IsOptionalNotNull, NotBlank, VersionedUpdateDto } from '../../shared/catalogue.dto';

export const DURATION_MIN = 5;
export const DURATION_MAX = 720;
export const BUFFER_MAX = 240;
/** In major units; keeps the stored minor units inside a signed 32-bit column for every currency. */
export const PRICE_MAX = 1_000_000;

export class ServiceListQuery extends ArchivableListQuery {
  @ApiPropertyOptional({ example: 'q3Jb8yTQv0Ck2nXbW1aZxA', description: 'Only services of this category' })
  @IsOptional()
  @IsEntityId()
  category_id?: string;

  @ApiPropertyOptional({ example: '2026-01-31T09:00:00.000Z', description: 'Only services changed after this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedAfter?: string;
}

/** The fields every service has: required on create, optional (never null) on update. */
class ServiceCoreFields {
  @ApiProperty({ example: 'Full Head Colour', maxLength: 150 })
  @IsString()
  @Length(1, 150)
  @NotBlank()
  name!: string;

  @ApiProperty({
    example: 90,
    minimum: DURATION_MIN,
    maximum: DURATION_MAX,
    description: 'Total minutes, gap included (buffer not included)',
  })
  @IsInt()
  @Min(DURATION_MIN)
  @Max(DURATION_MAX)
  duration!: number;

  @ApiProperty({
    example: 85.5,
    minimum: 0,
    maximum: PRICE_MAX,
    description: 'In major units of the branch currency, with at most its decimals',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(PRICE_MAX)
  price!: number;
}

/**
 * Optional on create and update (absent = default / unchanged). The nullable ones
 * (categoryId, internetName, description, gapStartsAfter) take null to clear them.
 */
class ServiceOptionalFields {
  @ApiPropertyOptional({ example: 'q3Jb8yTQv0Ck2nXbW1aZxA', nullable: true, description: 'A service category of the same branch' })
  @IsOptional()
  @IsEntityId()
  categoryId?: string | null;

  @ApiPropertyOptional({
    example: 'Full head colour',
    maxLength: 150,
    nullable: true,
    description: 'Shown on online booking instead of name',
  })
  @IsOptional()
  @IsString()
  @MaxLength(150)
  internetName?: string | null;

  @ApiPropertyOptional({ example: 'Permanent colour from roots to ends, with a gloss.', maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({
    example: 30,
    default: 0,
    minimum: 0,
    maximum: DURATION_MAX,
    description: 'Processing minutes in which the stylist is free',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(DURATION_MAX)
  gapTime?: number;

  @ApiPropertyOptional({
    example: 20,
    nullable: true,
    minimum: 1,
    description: 'Minutes into the service when the gap starts; required when gapTime > 0; the gap lies strictly inside the duration',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(DURATION_MAX)
  gapStartsAfter?: number | null;

  @ApiPropertyOptional({
    example: 10,
    default: 0,
    minimum: 0,
    maximum: BUFFER_MAX,
    description: 'Clean-up minutes after the service (the client has left)',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(BUFFER_MAX)
  bufferTime?: number;

  @ApiPropertyOptional({ example: true, default: true, description: 'Offered on the online booking site' })
  @IsOptionalNotNull()
  @IsBoolean()
  onlineBookable?: boolean;

  @ApiPropertyOptional({
    type: [String],
    example: [],
    description: 'The service needs one of these rooms of the branch (empty: none needed)',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsEntityId({ each: true })
  roomIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: [],
    description: 'The service needs one of these machines of the branch (empty: none needed)',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsEntityId({ each: true })
  machineIds?: string[];
}

export class CreateServiceDto extends IntersectionType(ServiceCoreFields, ServiceOptionalFields) {}

/** A partial update: send `version` and only the fields to change. */
export class UpdateServiceDto extends IntersectionType(
  VersionedUpdateDto,
  PartialType(ServiceCoreFields, { skipNullProperties: false }),
  ServiceOptionalFields,
) {}
