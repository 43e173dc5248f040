import { HttpStatus, ValidationPipe, type ValidationError } from '@nestjs/common';
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
