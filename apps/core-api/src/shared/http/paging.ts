import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `?page=` (from 0) and `?size=` (default 20, at most 100), as Phorest pages its lists. */
export class PageQuery {
  @ApiPropertyOptional({ description: 'Page number, from 0', default: 0, example: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  page = 0;

  @ApiPropertyOptional({ description: 'Page size, 1 to 100', default: 20, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  size = 20;
}

export interface Page<T> {
  _embedded: Record<string, T[]>;
  page: { size: number; totalElements: number; totalPages: number; number: number };
}

export function pageOf<T>(key: string, items: T[], totalElements: number, query: PageQuery): Page<T> {
  return {
    _embedded: { [key]: items },
    page: { size: query.size, totalElements, totalPages: Math.ceil(totalElements / query.size), number: query.page },
  };
}

/** SQL `LIMIT ? OFFSET ?` values for a page. */
export function limitOffset(query: PageQuery): [number, number] {
  return [query.size, query.page * query.size];
}

/**
 * The list's total without a COUNT query when the first page is not full (then the rows are
 * all there is): a one-hit search runs one query instead of two.
 */
export async function totalOf(rowsOnPage: number, query: PageQuery, count: () => Promise<{ total: number | string }[]>): Promise<number> {
  if (query.page === 0 && rowsOnPage < query.size) return rowsOnPage;
  const [{ total }] = await count();
  return Number(total);
}
