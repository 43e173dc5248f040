import { createHmac } from 'node:crypto';
import type { Caller } from '../caller';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_TTL_HOURS = 24;

/** 1–255 visible ASCII characters (0x21–0x7E), like Stripe's limit; anything else is not a key. */
export const isValidIdempotencyKey = (value: unknown): value is string => typeof value === 'string' && /^[\x21-\x7e]{1,255}$/.test(value);

/**
 * Whose key it is: the profile of an authorization token, the application (and its profile) of an
 * access token; an unauthenticated write (register-profile) shares one anonymous scope, where the
 * fingerprint (route and body, password included) is what a second client would have to match.
 */
export const idempotencyScope = (caller: Caller | undefined): string => {
  if (!caller) return 'anonymous';
  return caller.kind === 'application' ? `application:${caller.applicationId}:${caller.profileId}` : `profile:${caller.profileId}`;
};

/** JSON with object keys sorted at every depth, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are one request. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
};

export interface RequestShape {
  method: string;
  path: string;
  query: unknown;
  body: unknown;
}

/**
 * What "the same request" means: method, path, query and body, canonicalised. Keyed (HMAC-SHA-256),
 * because a body may hold a password and a plain SHA-256 of it would be a dictionary target at rest.
 */
export const requestFingerprint = (request: RequestShape, macKey: Uint8Array): string =>
  createHmac('sha256', macKey)
    .update(canonicalJson({ method: request.method.toUpperCase(), path: request.path, query: request.query ?? {}, body: request.body ?? null }))
    .digest('base64url');
