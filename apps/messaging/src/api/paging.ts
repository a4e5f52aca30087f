import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `?page=` (from 0) and `?size=` (default 20, at most 100), as core-api pages its lists. */
export class PageQuery {
  @ApiPropertyOptional({ description: 'Page number, from 0', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  page = 0;

  @ApiPropertyOptional({ description: 'Page size, 1 to 100', default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  size = 20;
}

export function pageOf<T>(key: string, items: T[], totalElements: number, query: PageQuery) {
  return {
    _embedded: { [key]: items },
    page: { size: query.size, totalElements, totalPages: Math.ceil(totalElements / query.size), number: query.page },
  };
}

export const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
