import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min, ValidateIf, ValidationOptions } from 'class-validator';
import { PageQuery } from '../../../shared/http/paging';
import { BooleanQuery } from '../../../shared/http/query-flags';

/** Our ids: 22 URL-safe characters (see shared/ids.ts). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * Optional, but validated when present, `null` included: for fields whose column is NOT NULL,
 * so `{"name": null}` is a 400 rather than a database error. (`@IsOptional` lets null through,
 * which is what the nullable fields want: null clears them.)
 */
export const IsOptionalNotNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** A body or query id: malformed is a 400 before any query runs. */
export const IsEntityId = (options: ValidationOptions = {}) => Matches(ID_PATTERN, { message: 'must be a 22-character id', ...options });

/** A name must carry at least one visible character. */
export const NotBlank = () => Matches(/\S/, { message: 'must not be blank' });

/** `?includeArchived=true` shows archived rows too; lists hide them by default. */
export class ArchivableListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Include archived entries', default: false })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  includeArchived?: boolean;
}

/** Every PUT body carries the version it read; `archived: false` restores an archived entry. */
export class VersionedUpdateDto {
  @ApiProperty({ example: 1, description: 'The version you read; a stale version answers 409 with the current one' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version!: number;

  @ApiPropertyOptional({ example: false, description: 'false restores an archived entry (DELETE archives)' })
  @IsOptionalNotNull()
  @IsBoolean()
  archived?: boolean;
}
