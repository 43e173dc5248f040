import { getMetadataStorage } from 'class-validator';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

// class-transformer keeps its decorators' metadata here (not exported by its index); a DTO with any of them is not flat.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

type Check = (value: unknown) => object | undefined;

interface Field {
  name: string;
  optional: boolean;
  maxLength: number;
  /** From `@Length(min, max)`: class-validator counts a surrogate pair or a variation selector as nothing extra. */
  minLength: number;
  pattern?: RegExp;
}

const FLAT_RULES = new Set(['isOptional', 'isString', 'maxLength', 'isLength', 'matches']);
/** Where UTF-16 length and class-validator's length differ: such values go to class-validator. */
const UNEVEN_LENGTH = /[\uD800-\uDFFF]|\uFE0E|\uFE0F/;

/**
 * For a DTO whose every property is an (optional) string with a maximum length (and possibly a length
 * range and a pattern: `@Length`, `@Matches`), a check that needs no
 * class-validator: it answers the stripped instance the validation pipe would, or undefined when it
 * cannot vouch for the value (then the pipe validates as usual and words the error). It is stricter
 * than class-validator (`maxLength` there counts a surrogate pair once), never looser.
 */
export function flatStringCheck(metatype: new () => object): Check | undefined {
  const rules = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
  if (rules.length === 0 || rules.some((rule) => !FLAT_RULES.has(rule.name ?? '') || rule.each || (rule.groups?.length ?? 0) > 0)) return undefined;
  if (defaultMetadataStorage.getExposedMetadatas(metatype).length > 0 || defaultMetadataStorage.getExcludedMetadatas(metatype).length > 0) return undefined;
  const names = [...new Set(rules.map((rule) => rule.propertyName))];
  if (names.some((name) => defaultMetadataStorage.findTypeMetadata(metatype, name) || defaultMetadataStorage.findTransformMetadatas(metatype, name, 1).length > 0)) return undefined;
  const fields: Field[] = names.map((name) => {
    const own = rules.filter((rule) => rule.propertyName === name);
    if (!own.some((rule) => rule.name === 'isString')) return undefined;
    const max = own.find((rule) => rule.name === 'maxLength')?.constraints?.[0];
    const [lengthMin, lengthMax] = own.find((rule) => rule.name === 'isLength')?.constraints ?? [];
    const matches = own.filter((rule) => rule.name === 'matches');
    if (matches.length > 1) return undefined;
    const [pattern, modifiers] = matches[0]?.constraints ?? [];
    return {
      name,
      optional: own.some((rule) => rule.name === 'isOptional'),
      maxLength: Math.min(typeof max === 'number' ? max : Infinity, typeof lengthMax === 'number' ? lengthMax : Infinity),
      minLength: typeof lengthMin === 'number' ? lengthMin : 0,
      pattern: pattern === undefined ? undefined : pattern instanceof RegExp ? pattern : new RegExp(String(pattern), modifiers as string | undefined),
    };
  }) as Field[];
  if (fields.some((field) => !field)) return undefined;
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const instance = new metatype() as Record<string, unknown>;
    for (const { name, optional, maxLength, minLength, pattern } of fields) {
      if (!Object.hasOwn(value, name)) {
        if (optional) continue;
        return undefined;
      }
      const field = (value as Record<string, unknown>)[name];
      if (field === undefined || field === null) {
        if (!optional) return undefined;
      } else if (typeof field !== 'string' || field.length > maxLength || field.length < minLength) return undefined;
      else if ((minLength > 0 && UNEVEN_LENGTH.test(field)) || (pattern && !field.match(pattern))) return undefined;
      instance[name] = field;
    }
    return instance;
  };
}
