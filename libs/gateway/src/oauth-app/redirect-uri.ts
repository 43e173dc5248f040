import { registerDecorator, type ValidationOptions } from 'class-validator';

/** Absolute https, or http on localhost / 127.0.0.1 (native and development clients), never a fragment. */
export const isAllowedRedirectUri = (value: unknown): boolean => {
  // `new URL` would quietly encode a space or drop a tab; the registered URI must be the one clients send.
  if (typeof value !== 'string' || value.length > 2000 || /[\s\p{Cc}]/u.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (value.includes('#') || url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
};

export const IsRedirectUri = (options?: ValidationOptions) => (target: object, propertyName: string) =>
  registerDecorator({
    name: 'isRedirectUri',
    target: target.constructor,
    propertyName,
    options: { message: 'each redirect URI must be absolute https (or http on localhost / 127.0.0.1) without a fragment', ...options },
    validator: { validate: isAllowedRedirectUri },
  });

/** Repeated fields or comma-separated values, trimmed, without empties. */
export const listOf = ({ value }: { value: unknown }): unknown => {
  const items = Array.isArray(value) ? value : [value];
  if (!items.every((item) => typeof item === 'string')) return value;
  return (items as string[]).flatMap((item) => item.split(',')).map((item) => item.trim()).filter(Boolean);
};

/**
 * Scopes: space-separated (RFC 6749 §3.3) or comma-separated (Privicore), or repeated. Only those two
 * separate: a tab or a newline stays inside the name, which then names no scope and is refused.
 */
export const scopeList = ({ value }: { value: unknown }): unknown => {
  const items = Array.isArray(value) ? value : [value];
  if (!items.every((item) => typeof item === 'string')) return value;
  return [...new Set((items as string[]).flatMap((item) => item.split(/[ ,]+/)).filter(Boolean))];
};
