import fc from 'fast-check';
import type { FuzzRequest } from './http';
import type { GoodRequest } from './good-requests';
import { authorizationHeader, idempotencyKey, oddHeaders, profileTokenHeader } from './headers';
import { Deep, fittingValue, nastyString, poolFor, type Schema, seedRef, type Value, valueFor } from './values';

/** One operation of the OpenAPI document. */
export interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: Schema }[];
  body?: Schema;
}

/** A body object as ordered fields, so that duplicates and keys such as `__proto__` stay what they are. */
export class Fields {
  constructor(readonly entries: [string, Value][]) {}
}

export type BodyTemplate =
  | { kind: 'none'; contentType?: string }
  | { kind: 'json'; contentType: string; value: Fields | Value }
  | { kind: 'form'; contentType: string; value: Fields }
  | { kind: 'raw'; contentType?: string; text?: string; bytes?: number[] };

/** A generated case before the seeds are filled in. */
export interface CaseTemplate {
  method: string;
  pathParams: Record<string, Value>;
  query: [string, Value][];
  headers: Record<string, string | string[] | undefined>;
  body: BodyTemplate;
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1', 'application/vnd.api+json', 'application/json;charset="utf-16"'];
const FORM_TYPES = ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8', 'Application/X-WWW-Form-Urlencoded'];
const ODD_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/octet-stream',
  'application/json; charset=utf-16',
  '',
  'garbage',
  ';;;',
];
const ODD_TEXTS = ['', ' ', 'null', '[]', '"x"', '42', 'true', '{', '{"a":1', '{}}', '\uFEFF{}', 'a=1&a=2&&=&%', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--', '<a/>'];
const INVALID_UTF8 = [
  [0xff, 0xfe, 0xfd],
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d], // {"a":"<bad>"}
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d], // {"a":"<CESU surrogate>"}
  [0x61, 0x3d, 0xc3, 0x28], // a=<bad>
];

const extraKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', '', 'a[b]', 'a.b', '$where');

function fieldsFor(schema: Schema): fc.Arbitrary<Fields> {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) =>
    fc.option(
      valueFor(property, poolFor(name)).map((value): [string, Value] => [name, value]),
      { freq: required.has(name) ? 8 : 2, nil: undefined },
    ),
  );
  const extras = fc.oneof({ weight: 6, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.tuple(fc.oneof(extraKeys, nastyString), valueFor({}, [])), { maxLength: 2 }) });
  return fc.tuple(fc.tuple(...fields), extras).map(([present, more]) => new Fields([...present.filter((field): field is [string, Value] => field !== undefined), ...more]));
}

/** A body that passes validation, so that the other parts of the case (credentials, headers) are what is tested. */
function fittingBody(schema: Schema): fc.Arbitrary<BodyTemplate> {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) =>
    required.has(name)
      ? fittingValue(property, poolFor(name)).map((value): [string, Value] | undefined => [name, value])
      : fc.option(fittingValue(property, poolFor(name)).map((value): [string, Value] => [name, value]), { nil: undefined }),
  );
  const value = fc.tuple(...fields).map((present) => new Fields(present.filter((field): field is [string, Value] => field !== undefined)));
  return fc.oneof(
    fc.record({ kind: fc.constant('form' as const), contentType: fc.constant(FORM_TYPES[0]), value }),
    fc.record({ kind: fc.constant('json' as const), contentType: fc.constant(JSON_TYPES[0]), value }),
  );
}

function bodyFor(operation: Operation): fc.Arbitrary<BodyTemplate> {
  if (operation.body) return fc.oneof({ weight: 2, arbitrary: anyBody(operation) }, { weight: 1, arbitrary: fittingBody(operation.body) });
  return anyBody(operation);
}

function anyBody(operation: Operation): fc.Arbitrary<BodyTemplate> {
  const fields = operation.body ? fieldsFor(operation.body) : fc.constant(new Fields([]));
  const hasBody = operation.body !== undefined;
  return fc.oneof(
    { weight: hasBody ? 1 : 6, arbitrary: fc.record({ kind: fc.constant('none' as const), contentType: fc.option(fc.constantFrom('application/json', 'application/x-www-form-urlencoded'), { nil: undefined }) }) },
    { weight: hasBody ? 4 : 1, arbitrary: fc.record({ kind: fc.constant('json' as const), contentType: fc.constantFrom(...JSON_TYPES), value: fc.oneof({ weight: 5, arbitrary: fields }, { weight: 1, arbitrary: valueFor({}, []) }) }) },
    { weight: hasBody ? 4 : 1, arbitrary: fc.record({ kind: fc.constant('form' as const), contentType: fc.constantFrom(...FORM_TYPES), value: fields }) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.record({ kind: fc.constant('raw' as const), contentType: fc.option(fc.constantFrom(...ODD_TYPES), { nil: undefined }), text: fc.constantFrom(...ODD_TEXTS) }),
        fc.record({ kind: fc.constant('raw' as const), contentType: fc.constantFrom(...ODD_TYPES), bytes: fc.constantFrom(...INVALID_UTF8) }),
      ),
    },
  );
}

const withHeaders = (odd: Record<string, string | string[]>, named: Record<string, string | undefined>) => ({
  ...odd,
  ...Object.fromEntries(Object.entries(named).filter(([, value]) => value !== undefined)),
});

/** Every request shape worth sending to one operation. */
export function casesFor(operation: Operation): fc.Arbitrary<CaseTemplate> {
  const pathParams = operation.parameters.filter((parameter) => parameter.in === 'path');
  const queryParams = operation.parameters.filter((parameter) => parameter.in === 'query');
  const query = fc
    .tuple(
      fc.tuple(...queryParams.map((parameter) => fc.option(valueFor(parameter.schema ?? {}, poolFor(parameter.name)), { freq: parameter.required ? 8 : 3, nil: undefined }))),
      fc.oneof({ weight: 6, arbitrary: fc.constant<[string, Value][]>([]) }, { weight: 1, arbitrary: fc.array(fc.tuple(fc.oneof(extraKeys, nastyString), valueFor({}, [])), { maxLength: 2 }) }),
    )
    .map(([values, extras]) => [...queryParams.flatMap((parameter, index): [string, Value][] => (values[index] === undefined ? [] : [[parameter.name, values[index]!]])), ...extras]);
  const writes = operation.method !== 'GET';
  return fc.record({
    method: fc.constant(operation.method),
    pathParams: fc.record(Object.fromEntries(pathParams.map((parameter) => [parameter.name, valueFor(parameter.schema ?? {}, poolFor(parameter.name))]))),
    query: queryParams.length > 0 ? query : fc.oneof({ weight: 8, arbitrary: fc.constant<[string, Value][]>([]) }, { weight: 1, arbitrary: query }),
    headers: fc
      .record({
        'x-dpt-authorization': profileTokenHeader,
        authorization: authorizationHeader,
        'idempotency-key': writes ? idempotencyKey : fc.constant(undefined),
        cookie: fc.option(fc.constant(`oauth_authz=${seedRef('loginCookie')}`), { freq: 3, nil: undefined }),
        odd: oddHeaders,
      })
      .map(({ odd, ...named }) => withHeaders(odd, named)),
    body: bodyFor(operation),
  });
}

/** Unknown paths and methods: the route family's error shape, never a 500. */
export const unknownRouteCases: fc.Arbitrary<CaseTemplate> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND'),
  pathParams: fc.record({ path: fc.constantFrom<Value>('/profile/nope', '/o/apps/x/y/z', '/oauth/nope', '/oauth-application/', '/request-status/', '/%', '/%00', '/..%2f..%2fetc/passwd', '//', '/\uD800', '/ws', '/docs/../openapi.json', '/o/apps/%ED%A0%80/') }),
  query: fc.constant<[string, Value][]>([]),
  headers: fc.record({ 'x-dpt-authorization': profileTokenHeader, authorization: authorizationHeader, odd: oddHeaders }).map(({ odd, ...named }) => withHeaders(odd, named)),
  body: fc.constant<BodyTemplate>({ kind: 'raw', contentType: 'application/json', text: '{"a":1}' }),
});

// ---- materialising a template with the current seeds ----

export const resolveText = (text: string, seeds: Record<string, string>): string =>
  text
    .replace(/⟦(\w+)⟧/g, (_, key: string) => seeds[key] ?? `missing-seed-${key}`)
    .replace(/⟦base64:([^⟧]*)⟧/g, (_, inner: string) => Buffer.from(inner, 'utf8').toString('base64'));

function resolveValue(value: Value, seeds: Record<string, string>): Value {
  if (typeof value === 'string') return resolveText(value, seeds);
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, seeds));
  if (value instanceof Deep || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveValue(item, seeds)]));
}

/** UTF-8, except that a lone surrogate becomes its 3-byte (WTF-8) form instead of U+FFFD. */
function wtf8(text: string): number[] {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    let code = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
      index++;
    }
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return bytes;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const percentEncode = (text: string): string =>
  wtf8(text)
    .map((byte) => (byte < 0x80 && UNRESERVED.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');

const scalarText = (value: Value): string => (typeof value === 'string' ? value : value instanceof Deep ? value.json() : JSON.stringify(value));

function formPairs(key: string, value: Value): [string, string][] {
  if (value === null) return [[key, '']];
  if (Array.isArray(value)) return value.length === 0 ? [[`${key}[]`, '']] : value.flatMap((item) => formPairs(key, item));
  if (value instanceof Deep) return [[key + '[a]'.repeat(Math.min(value.depth, 3_000)), '1']];
  if (typeof value === 'object') return Object.entries(value).flatMap(([inner, item]) => formPairs(`${key}[${inner}]`, item));
  return [[key, String(value)]];
}

const encodePairs = (pairs: [string, Value][]): string =>
  pairs
    .flatMap(([key, value]) => formPairs(key, value))
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&');

function jsonText(value: Fields | Value): string {
  if (value instanceof Fields) return `{${value.entries.map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`).join(',')}}`;
  if (value instanceof Deep) return value.json();
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** Header values go out as the UTF-8 bytes of the text, minus what HTTP forbids (CR, LF, NUL, controls). */
const headerSafe = (text: string): string =>
  [...Buffer.from(text, 'utf8').toString('latin1')].map((char) => (char === '\t' || (char >= ' ' && char !== '\x7f') ? char : '?')).join('');

export function materialise(operation: Pick<Operation, 'path'>, template: CaseTemplate, seeds: Record<string, string>): FuzzRequest {
  let path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => percentEncode(scalarText(resolveValue(template.pathParams[name] ?? '', seeds))));
  if (template.pathParams.path !== undefined && !operation.path.includes('{path}')) path = percentEncodePath(String(template.pathParams.path));
  const query = encodePairs(template.query.map(([key, value]) => [key, resolveValue(value, seeds)]));
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(template.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.map((item) => headerSafe(resolveText(item, seeds))) : headerSafe(resolveText(value, seeds));
  }
  let body: Buffer | undefined;
  const { body: shape } = template;
  if (shape.contentType !== undefined) headers['content-type'] = shape.contentType;
  if (shape.kind === 'json') body = Buffer.from(jsonText(shape.value instanceof Fields ? new Fields(shape.value.entries.map(([key, item]) => [key, resolveValue(item, seeds)])) : resolveValue(shape.value, seeds)), 'utf8');
  if (shape.kind === 'form') body = Buffer.from(encodePairs(shape.value.entries.map(([key, item]) => [key, resolveValue(item, seeds)])), 'latin1');
  if (shape.kind === 'raw') body = shape.bytes ? Buffer.from(shape.bytes) : Buffer.from(shape.text ?? '', 'utf8');
  return { method: template.method, path: query ? `${path}?${query}` : path, headers, body };
}

/** A literal path whose odd characters are kept as they are where legal, percent-encoded where not. */
const percentEncodePath = (path: string): string => path.replace(/[^\x21-\x7e]/g, (char) => percentEncode(char));

// ---- hazards every route is tried with, whatever fast-check draws (fast-check `examples`) ----

const plainValue = (name: string, schema: Schema): Value => {
  const pool = poolFor(name);
  if (pool.length > 0) return pool[0];
  if (schema.enum?.length) return schema.enum[0] as Value;
  if (schema.type === 'number' || schema.type === 'integer') return schema.minimum ?? 1;
  if (schema.type === 'array') return ['x'];
  return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
};

/**
 * A request that passes validation with the profile's token (or the route's good request, when it has
 * one), and one variant per known hazard: NUL in Basic credentials (raw and `%00`), lone surrogates,
 * NUL, JSON null and deep nesting in each field, an empty JSON body, a lowercase Bearer, an over-long
 * Idempotency-Key.
 */
export function examplesFor(operation: Operation, good?: GoodRequest): CaseTemplate[] {
  const properties = Object.entries(operation.body?.properties ?? {});
  const queryParams = operation.parameters.filter((parameter) => parameter.in === 'query');
  const required = new Set(operation.body?.required ?? []);
  // Only the required fields: an optional client_id next to Basic credentials is another refusal.
  const goodFields: [string, Value][] = good?.body?.fields ?? properties.filter(([name]) => required.has(name)).map(([name, schema]) => [name, plainValue(name, schema)]);
  const fields = (replace?: [string, Value]) =>
    new Fields([...goodFields.map(([name, value]): [string, Value] => [name, replace?.[0] === name ? replace[1] : value]), ...(replace && !goodFields.some(([name]) => name === replace[0]) ? [replace] : [])]);
  const pathParams = Object.fromEntries(operation.parameters.filter((parameter) => parameter.in === 'path').map((parameter) => [parameter.name, plainValue(parameter.name, parameter.schema ?? {})]));
  const base: CaseTemplate = {
    method: operation.method,
    pathParams: { ...pathParams, ...good?.pathParams },
    query: good?.query ?? queryParams.filter((parameter) => parameter.required).map((parameter) => [parameter.name, plainValue(parameter.name, parameter.schema ?? {})]),
    headers: good?.headers ?? { 'x-dpt-authorization': seedRef('profileToken') },
    body: operation.body ? { kind: good?.body?.kind ?? 'form', contentType: good?.body?.kind === 'json' ? JSON_TYPES[0] : FORM_TYPES[0], value: fields() } : { kind: 'none' },
  };
  const json = (replace: [string, Value]): BodyTemplate => ({ kind: 'json', contentType: JSON_TYPES[0], value: fields(replace) });
  const withAuthorization = (authorization: string): CaseTemplate => ({ ...base, headers: { authorization } });
  const examples: CaseTemplate[] = [
    base,
    withAuthorization(`Basic ${'⟦base64:a%00:b⟧'}`),
    withAuthorization(`Basic ${'⟦base64:a\u0000:b⟧'}`),
    withAuthorization(`bearer ${seedRef('accessToken')}`),
    { ...base, body: { kind: 'raw', contentType: 'application/json', text: '' } },
  ];
  if (operation.method !== 'GET') examples.push({ ...base, headers: { ...base.headers, 'idempotency-key': 'k'.repeat(256) } });
  for (const [name] of properties.slice(0, 4)) {
    for (const hazard of ['\uD800', 'x\uDC00y', 'a\u0000b', null, new Deep(5_000, 'array')]) examples.push({ ...base, body: json([name, hazard]) });
  }
  for (const parameter of queryParams.slice(0, 3)) {
    for (const hazard of ['\uD800', 'a\u0000b', ...poolFor(parameter.name).slice(1)]) {
      examples.push({ ...base, query: [...base.query.filter(([key]) => key !== parameter.name), [parameter.name, hazard]] });
    }
  }
  return examples;
}
