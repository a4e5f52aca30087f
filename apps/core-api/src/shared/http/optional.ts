import { ValidateIf } from 'class-validator';

/**
 * Optional, but not nullable: absent means "leave as is", and `null` is refused (400) instead
 * of reaching a NOT NULL column. Use plain @IsOptional() where null means "clear it".
 */
export const IsOptionalNotNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
