import { HttpStatus, type PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ErrorCodes } from '@platform/contracts';
import { ApiError } from './errors';

const flatten = (errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });

/** DTO validation: unknown fields are stripped, wrong ones answer 400 `validation_error` with field details. */
export const validationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.validation, details.map((d) => `${d.field}: ${d.problems.join(', ')}`).join('; '), details);
    },
  });

const containsNul = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.includes('\u0000')
    : Array.isArray(value)
      ? value.some(containsNul)
      : typeof value === 'object' && value !== null && Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item));

/** PostgreSQL text cannot hold NUL: refuse it at the edge (400) instead of failing in a query (500). */
export class RejectNulPipe implements PipeTransform {
  transform(value: unknown): unknown {
    if (containsNul(value)) throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.validation, 'NUL characters are not allowed.');
    return value;
  }
}
