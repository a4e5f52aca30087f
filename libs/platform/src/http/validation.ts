import { ArgumentMetadata, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, FieldError } from './api-error';
import { memoizeValidationMetadata } from './validation-metadata-cache';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ field, message });
    }
    if (error.children?.length) out.push(...flatten(error.children, field));
  }
  return out;
}

const exceptionFactory = (errors: ValidationError[]) => {
  const fields = flatten(errors);
  const summary = fields
    .slice(0, 3)
    .map((f) => `${f.field}: ${f.message}`)
    .join('; ');
  return ApiError.badRequest('VALIDATION_FAILED', `Invalid input (${summary})`, fields);
};

const common = {
  whitelist: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory,
};

/**
 * Request bodies are whitelisted strictly: an unknown field is a 400 (so `businessId`,
 * `createdAt` and friends can never be smuggled in) and nothing is written. Query strings are
 * validated but unknown parameters are ignored, as Phorest does (integrations send extras).
 */
@Injectable()
export class ApiValidationPipe implements PipeTransform {
  private readonly strict = new ValidationPipe({ ...common, forbidNonWhitelisted: true, forbidUnknownValues: true });
  private readonly lenient = new ValidationPipe({ ...common, forbidNonWhitelisted: false, forbidUnknownValues: false });

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const isDto = !!metadata.metatype && ![Object, String, Number, Boolean, Array].includes(metadata.metatype as never);
    if (metadata.type === 'body' && isDto && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw ApiError.badRequest('VALIDATION_FAILED', 'Send a JSON object as the request body');
    }
    return (metadata.type === 'query' ? this.lenient : this.strict).transform(value, metadata);
  }
}

export function createValidationPipe(): PipeTransform {
  memoizeValidationMetadata();
  return new ApiValidationPipe();
}
