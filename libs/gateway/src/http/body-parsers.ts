import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ErrorCodes } from '@platform/contracts';
import { ApiError } from './errors';

export const MAX_JSON_DEPTH = 32;
export const MAX_FORM_FIELDS = 1000;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const malformed = (message: string) => new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.malformedBody, message);

/** Whether `text` opens more than `max` nested objects or arrays, scanned without parsing or recursion. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      if (++depth > max) return true;
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** `application/x-www-form-urlencoded` as URLSearchParams reads it; a repeated field becomes an array. */
export function parseForm(text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null);
  let count = 0;
  for (const [key, value] of new URLSearchParams(text)) {
    if (++count > MAX_FORM_FIELDS) throw malformed(`A form body may have at most ${MAX_FORM_FIELDS} fields.`);
    if (PROTOTYPE_KEYS.has(key)) throw malformed(`The form field name ${key} is not allowed.`);
    const existing = fields[key];
    if (existing === undefined) fields[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else fields[key] = [existing, value];
  }
  return fields;
}

/**
 * The only body parsers: JSON (bounded depth, then Fastify's secure-json-parse, which refuses
 * `__proto__`/`constructor` keys) and form bodies, both under `bodyLimit`. Any other content type is a 415.
 * An empty JSON body is a request without a body.
 */
export function registerBodyParsers(fastify: FastifyInstance, bodyLimit: number): void {
  const secureJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) return done(malformed(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`), undefined);
    secureJson(request, text, (error, value) => (error ? done(malformed('The body is not valid JSON.'), undefined) : done(null, value)));
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    try {
      done(null, parseForm(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
