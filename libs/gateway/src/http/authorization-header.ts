import type { FastifyRequest } from 'fastify';

const CREDENTIALS = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) +(\S.*)$/s;

/** The credentials of `Authorization: <scheme> <credentials>`; the scheme name is case-insensitive (RFC 9110 §11.1). */
export const authorizationCredentials = (request: FastifyRequest, scheme: 'basic' | 'bearer'): string | undefined => {
  const match = CREDENTIALS.exec(request.headers.authorization ?? '');
  return match && match[1].toLowerCase() === scheme ? match[2].trim() : undefined;
};

/** Whether the request authenticates with `scheme`, credentials or not. */
export const usesAuthorizationScheme = (request: FastifyRequest, scheme: 'basic' | 'bearer'): boolean => {
  const header = (request.headers.authorization ?? '').trimStart();
  return header.slice(0, scheme.length).toLowerCase() === scheme && (header.length === scheme.length || /\s/.test(header[scheme.length]));
};
