import { type ArgumentMetadata, HttpStatus, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ErrorCodes } from '@platform/contracts';
import { ApiError } from './errors';
import { flatStringCheck } from './flat-string-check';

const flatten = (errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });

/** Flat string DTOs (the token endpoint's, introspection's…) that pass a precompiled check skip class-validator. */
class FastValidationPipe extends ValidationPipe {
  private readonly checks = new Map<unknown, ReturnType<typeof flatStringCheck>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    if (metadata.type === 'body' && typeof metatype === 'function' && this.toValidate(metadata)) {
      if (!this.checks.has(metatype)) this.checks.set(metatype, flatStringCheck(metatype as new () => object));
      const checked = this.checks.get(metatype)?.(value);
      if (checked) return checked;
    }
    return super.transform(value, metadata);
  }
}

/** DTO validation: unknown fields are stripped, wrong ones answer 400 `validation_error` with field details. */
export const validationPipe = () =>
  new FastValidationPipe({
    whitelist: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.validation, details.map((d) => `${d.field}: ${d.problems.join(', ')}`).join('; '), details);
    },
  });
