import { type ArgumentMetadata, HttpStatus, ValidationPipe, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { ErrorCodes } from '@platform/contracts';
import { ApiError } from './errors';
import { flatStringCheck } from './flat-string-check';

type Details = { field: string; problems: string[] }[];

const flatten = (errors: ValidationError[], parent = ''): Details =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });

const validationError = (details: Details) =>
  new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.validation, details.map((d) => `${d.field}: ${d.problems.join(', ')}`).join('; '), details);

/**
 * Flat string DTOs (the token endpoint's, introspection's…) that pass a precompiled check skip class-validator.
 * A declared field sent as JSON `null` is refused before either: `@IsOptional` would pass it as if it were
 * absent, while the handlers tell a field sent from one left out (an update's `null` name reached the event).
 */
class FastValidationPipe extends ValidationPipe {
  private readonly checks = new Map<unknown, ReturnType<typeof flatStringCheck>>();
  private readonly declared = new Map<unknown, ReadonlySet<string>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    if (metadata.type === 'body' && typeof metatype === 'function' && this.toValidate(metadata)) {
      this.refuseNulls(metatype, value);
      if (!this.checks.has(metatype)) this.checks.set(metatype, flatStringCheck(metatype as new () => object));
      const checked = this.checks.get(metatype)?.(value);
      if (checked) return checked;
    }
    return super.transform(value, metadata);
  }

  private refuseNulls(metatype: object, value: unknown): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    if (!this.declared.has(metatype)) {
      const rules = getMetadataStorage().getTargetValidationMetadatas(metatype as new () => object, '', true, false);
      this.declared.set(metatype, new Set(rules.map((rule) => rule.propertyName)));
    }
    const declared = this.declared.get(metatype)!;
    const nulls = Object.keys(value).filter((field) => declared.has(field) && (value as Record<string, unknown>)[field] === null);
    if (nulls.length > 0) throw validationError(nulls.map((field) => ({ field, problems: [`${field} must not be null; leave it out instead`] })));
  }
}

/** DTO validation: unknown fields are stripped, wrong ones answer 400 `validation_error` with field details. */
export const validationPipe = () =>
  new FastValidationPipe({
    whitelist: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => validationError(flatten(errors)),
  });
