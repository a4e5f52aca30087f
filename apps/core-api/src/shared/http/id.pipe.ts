import { ApiError } from '@chairbook/platform';
import { Injectable, PipeTransform } from '@nestjs/common';
import { isId } from '../ids';

/** Path ids must look like ours (22 URL-safe characters); anything else is a 400, not a query. */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  constructor(private readonly field = 'id') {}

  transform(value: string): string {
    if (!isId(value)) throw ApiError.badRequest('INVALID_ID', `${this.field} is not a valid id`, [{ field: this.field, message: 'must be a 22-character id' }]);
    return value;
  }
}
