import { getMetadataStorage } from 'class-validator';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

// class-transformer keeps its decorators' metadata here (not exported by its index); a DTO with any of them is not flat.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

type Check = (value: unknown) => object | undefined;

interface Field {
  name: string;
  optional: boolean;
  maxLength: number;
}

const FLAT_RULES = new Set(['isOptional', 'isString', 'maxLength']);

/**
 * For a DTO whose every property is an (optional) string with a maximum length, a check that needs no
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
    return { name, optional: own.some((rule) => rule.name === 'isOptional'), maxLength: typeof max === 'number' ? max : Infinity };
  }) as Field[];
  if (fields.some((field) => !field)) return undefined;
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const instance = new metatype() as Record<string, unknown>;
    for (const { name, optional, maxLength } of fields) {
      if (!Object.hasOwn(value, name)) {
        if (optional) continue;
        return undefined;
      }
      const field = (value as Record<string, unknown>)[name];
      if (field === undefined || field === null) {
        if (!optional) return undefined;
      } else if (typeof field !== 'string' || field.length > maxLength) return undefined;
      instance[name] = field;
    }
    return instance;
  };
}
