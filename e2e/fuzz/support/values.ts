import fc from 'fast-check';

/**
 * A generated value. Strings may hold seed placeholders (`⟦accessToken⟧`) that are replaced by the
 * seeded data's current value when the request is sent; `Deep` is nesting too deep to build as an object.
 */
export type Value = null | boolean | number | string | Deep | Value[] | { [key: string]: Value };

export class Deep {
  constructor(
    readonly depth: number,
    readonly shape: 'array' | 'object',
  ) {}

  json(): string {
    return this.shape === 'array' ? '['.repeat(this.depth) + ']'.repeat(this.depth) : '{"a":'.repeat(this.depth) + '1' + '}'.repeat(this.depth);
  }
}

export const seedRef = (key: string): string => `⟦${key}⟧`;

/** The schema subset the gateway's OpenAPI document uses. */
export interface Schema {
  type?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
}

/** Odd strings by input class; each class is drawn equally often, so rare ones are not drowned out. */
export const nastyClasses: Record<string, string[]> = {
  nul: ['\u0000', 'a\u0000b', 'abc\u0000', '%00'],
  'lone surrogate': ['\uD800', 'x\uDC00y', 'name \uDBFF', '\uDFFF\uD800'],
  unicode: ['\uDBFF\uDFFF', 'é', '🙂', '\u202e\u200b', '\uFEFF', '\u0085', 'Ａｄｍｉｎ'],
  empty: ['', ' ', '\t', '\r\n', ',,,', ' , a ,, b '],
  escapes: ['%', '%ZZ', '%%00', '+', '&=', '../../../etc/passwd', "' OR '1'='1' --", '${jndi:ldap://x}', '<script>alert(1)</script>', '\\'],
  'prototype names': ['__proto__', 'constructor', 'toString', 'hasOwnProperty'],
  'number-like': ['null', 'undefined', 'true', '0', '-1', 'NaN', 'Infinity', '1e309', '9007199254740993', '0x10', ' 60 '],
  'token-like': ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.e30.AAAA', 'Basic Og==', 'Bearer x'],
};

const hugeString = fc.constantFrom(3_000, 20_000, 70_000).map((length) => 'a'.repeat(length));

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  ...Object.values(nastyClasses).map((strings) => fc.constantFrom(...strings)),
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  hugeString,
);

export const wrongType: fc.Arbitrary<Value> = fc.constantFrom<Value>(null, true, false, 0, -1, 1.5, -0, 1e308, [], {}, ['a', 'b'], [null], { a: 1 }, { toString: 'x' });

export const deep: fc.Arbitrary<Value> = fc.record({ depth: fc.constantFrom(200, 5_000, 20_000), shape: fc.constantFrom('array' as const, 'object' as const) }).map(({ depth, shape }) => new Deep(depth, shape));

const validLooking = (schema: Schema): fc.Arbitrary<Value> => {
  if (schema.enum?.length) return fc.constantFrom(...(schema.enum as Value[]));
  switch (schema.type) {
    case 'number':
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validLooking(schema.items ?? { type: 'string' }), { maxLength: 3 });
    default: {
      const minLength = schema.minLength ?? 0;
      const maxLength = Math.min(schema.maxLength ?? 40, 200);
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((text) => text.length >= minLength && text.length <= maxLength);
      return fc.string({ minLength, maxLength: Math.max(minLength, Math.min(maxLength, 40)) });
    }
  }
};

const boundary = (schema: Schema): fc.Arbitrary<Value> => {
  if (schema.type === 'number' || schema.type === 'integer') {
    const edges = [schema.minimum, schema.maximum].filter((edge): edge is number => edge !== undefined).flatMap((edge) => [edge - 1, edge, edge + 1, edge + 0.5]);
    return fc.constantFrom<Value>(...edges, 0, -1, 2 ** 31, 2 ** 53 + 1, 1e21, '12abc', ' 60', '0x3c', '6e1', '');
  }
  const lengths = [schema.minLength, schema.maxLength].filter((edge): edge is number => edge !== undefined).flatMap((edge) => [edge - 1, edge, edge + 1]);
  return fc.constantFrom(...lengths.filter((length) => length >= 0), 0, 1, 255, 256, 1025).map((length) => 'x'.repeat(length));
};

/**
 * A value for one parameter or body field: seeded real data (so authenticated cases go deep), values
 * that fit the schema, boundary values, wrong types, nasty strings and deep nesting.
 */
export function valueFor(schema: Schema, pool: string[]): fc.Arbitrary<Value> {
  const choices: { weight: number; arbitrary: fc.Arbitrary<Value> }[] = [
    { weight: 3, arbitrary: validLooking(schema) },
    { weight: 2, arbitrary: boundary(schema) },
    { weight: 2, arbitrary: wrongType },
    { weight: 3, arbitrary: nastyString },
    { weight: 1, arbitrary: deep },
  ];
  // The first seed of a pool is the one that fits the field best: drawn most often.
  if (pool.length > 0) choices.push({ weight: 6, arbitrary: fc.constant(pool[0]) }, { weight: 3, arbitrary: fc.constantFrom(...pool) });
  return fc.oneof(...choices);
}

/** A value that should pass validation: the best-fitting seed, else one drawn from the schema. */
export const fittingValue = (schema: Schema, pool: string[]): fc.Arbitrary<Value> => (pool.length > 0 ? fc.constant(pool[0]) : validLooking(schema));

/** Field names that carry seeded data, and which seeds fit them. */
const POOLS: [RegExp, string[]][] = [
  [/^applicationId$/, ['applicationId', 'otherApplicationId', 'grantId']],
  [/^id$/, ['grantId', 'applicationId', 'otherApplicationId']],
  [/^authorization_code$|^code$/, ['freshCode', 'usedCode']],
  [/^commandId$/, ['applicationId', 'grantId', 'registrationCommandId']],
  [/^client_?[iI]d$/, ['clientId', 'publicClientId']],
  [/^client_secret$/, ['clientSecret']],
  [/^nonce$/, ['nonce', 'freshNonce']],
  [/^refresh_token$/, ['refreshToken']],
  [/^token$/, ['accessToken', 'refreshToken', 'clientCredentialsToken']],
  [/^qrToken$/, ['qrToken']],
  [/^username$/, ['username']],
  [/^password$|^currentPassword$/, ['password']],
  [/^newPassword$/, ['newPassword']],
  [/^redirect_?[uU]ri$/, ['redirectUri']],
  [/^scopes?(\[\])?$/, ['scopeList']],
  [/^request_id$/, ['loginRequestId']],
  [/^csrf_token$/, ['loginCsrf']],
  [/^decision$/, ['approve']],
  [/^grant_type$/, ['grantAuthorizationCode', 'grantClientCredentials', 'grantRefreshToken']],
  [/^code_verifier$/, ['codeVerifier']],
  [/^response_type$/, ['responseTypeCode']],
  [/^cursor$/, ['auditCursor', 'auditCursorHugeId', 'auditCursorOddDate']],
];

export const poolFor = (name: string): string[] => POOLS.filter(([pattern]) => pattern.test(name)).flatMap(([, keys]) => keys.map(seedRef));
