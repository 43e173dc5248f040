import type { OpenAPIObject } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { routeFamilyOf, type RouteFamily } from './http/error-families';

type Operation = {
  operationId?: string;
  summary?: string;
  security?: Array<Record<string, string[]>>;
  requestBody?: { content?: Record<string, unknown> };
  responses: Record<string, unknown>;
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** One line per operation; a route missing here gets one made from its path (and should be added). */
const SUMMARIES: Record<string, string> = {
  'GET /health': 'Health of the process and its dependencies',
  'GET /health/live': 'Liveness: the process answers',
  'GET /health/ready': 'Readiness: dependencies reachable and consumers running',
  'GET /request-status/{commandId}': 'Status of an accepted command',
  'POST /request-status/{commandId}': 'Status of an accepted command (POST form)',
  'POST /profile/register-profile': 'Register a profile',
  'POST /profile/authenticate': 'Sign in and receive an authorization token',
  'GET /profile/retrieve-profile-id': 'The profile id of the calling token',
  'POST /profile/change-password': 'Change the password',
  'POST /profile/reauthorize-authorization-token': 'Extend an authorization token',
  'POST /profile/revoke-authorization-token': 'Revoke the calling authorization token',
  'POST /profile/authorization-token/expiry': 'Expiry of the calling authorization token',
  'POST /profile/generate-token-qr': 'Generate a QR code that signs in another device',
  'POST /profile/redeem-token-qr': 'Redeem a QR code for an authorization token',
  'POST /profile/oauth-application-register': 'Register an OAuth application',
  'POST /profile/retrieve-oauth-application-configuration': "An OAuth application's configuration",
  'GET /profile/retrieve-oauth-application-list': "The profile's OAuth applications",
  'POST /profile/oauth-application-rotate-secret': "Rotate an OAuth application's client secret",
  'POST /profile/oauth-application-revoke': 'Revoke an OAuth application',
  'GET /profile/oauth-application-usage': "An OAuth application's recent calls",
  'GET /profile/oauth-application-audit': "An OAuth application's audit trail",
  'GET /profile/oauth-application-request-authorization-code': 'Grant an application an authorization code',
  'POST /oauth-application/retrieve-authorization-code': 'Retrieve the authorization code of a grant',
  'POST /oauth-application/obtain-access-token': 'Exchange an authorization code for tokens',
  'GET /oauth-application/retrieve-oauth-application-scope': 'The scopes of an access token',
  'POST /oauth-application/refresh-access-token': 'Refresh an access token',
  'GET /.well-known/oauth-authorization-server': 'Authorization server metadata (RFC 8414)',
  'GET /.well-known/jwks.json': 'Public keys that verify access tokens',
  'GET /oauth/authorize': 'Authorization endpoint (RFC 6749 §4.1)',
  'POST /oauth/token': 'Token endpoint (RFC 6749 §3.2)',
  'POST /oauth/revoke': 'Revoke a token (RFC 7009)',
  'POST /oauth/introspect': 'Introspect a token (RFC 7662)',
  'GET /o/apps': "The caller's OAuth applications",
  'POST /o/apps': 'Create an OAuth application',
  'DELETE /o/apps/{id}': 'Delete an OAuth application',
};

/** Operations anyone may call: they carry `security: []`, so no scheme is implied. */
const PUBLIC = [
  /^\/health(\/|$)/,
  /^\/\.well-known\//,
  /^\/request-status\//, // the result is shown only to the profile's own token, which is optional
  /^\/profile\/(register-profile|authenticate|redeem-token-qr)$/,
  /^\/oauth\/authorize(\/(login|consent))?$/, // a browser's sign-in cookie and form, not an API credential
];

/** The scheme of each route family's operations that declare none. */
const DEFAULT_SECURITY: Record<RouteFamily, Array<Record<string, string[]>>> = {
  privicore: [{ 'X-DPT-AUTHORIZATION': [] }],
  oauth: [{ basic: [] }],
  envelope: [{ bearer: [] }],
};

const ERROR_SCHEMAS: Record<'PrivicoreError' | 'OAuthError' | 'EnvelopeError', SchemaObject> = {
  PrivicoreError: {
    type: 'object',
    required: ['error', 'message'],
    properties: {
      error: { type: 'string', description: 'A stable error code', example: 'validation_failed' },
      message: { type: 'string', description: 'What went wrong, for a person' },
      details: { description: 'Field-level details, when there are any' },
    },
  },
  OAuthError: {
    type: 'object',
    required: ['error'],
    properties: {
      error: { type: 'string', description: 'An RFC 6749 §5.2 error code', example: 'invalid_request' },
      error_description: { type: 'string' },
    },
  },
  EnvelopeError: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string', example: 'validation_failed' }, message: { type: 'string' }, details: { type: 'object' } },
      },
    },
  },
};

const ERROR_SCHEMA_OF: Record<RouteFamily, keyof typeof ERROR_SCHEMAS> = { privicore: 'PrivicoreError', oauth: 'OAuthError', envelope: 'EnvelopeError' };

const FORM = 'application/x-www-form-urlencoded';

const fromPath = (method: string, path: string): string => {
  const words = path.split('/').filter((part) => part && !part.startsWith('{')).pop() ?? path;
  const text = words.replace(/[-_.]+/g, ' ').trim();
  return `${method.toUpperCase()} ${text}`;
};

/** `POST /oauth/authorize/login` → `postOauthAuthorizeLogin`, for operations no controller describes. */
const operationIdOf = (method: string, path: string): string =>
  [method, ...path.split(/[^A-Za-z0-9]+/).filter(Boolean)].map((word, index) => (index === 0 ? word : word[0].toUpperCase() + word.slice(1))).join('');

const errorResponse = (description: string, family: RouteFamily) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_OF[family]}` } } },
});

/**
 * What the decorators leave out, added in one place for every route (so routes stay free of boilerplate):
 * a summary, the security of its route family (or `[]` for public routes), form-encoded bodies beside JSON
 * (the body parsers take both), and the family's error shape for 4XX answers.
 */
export function completeOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  document.info.license ??= { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' };
  document.components ??= {};
  document.components.schemas = { ...ERROR_SCHEMAS, ...document.components.schemas };
  for (const [path, item] of Object.entries(document.paths)) {
    const family = routeFamilyOf(path);
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      operation.operationId ||= operationIdOf(method, path);
      operation.summary ||= SUMMARIES[`${method.toUpperCase()} ${path}`] ?? fromPath(method, path);
      const isPublic = PUBLIC.some((pattern) => pattern.test(path));
      if (!operation.security) operation.security = isPublic ? [] : DEFAULT_SECURITY[family];
      const json = operation.requestBody?.content?.['application/json'];
      if (json && operation.requestBody?.content && !operation.requestBody.content[FORM]) {
        operation.requestBody.content = { [FORM]: json, ...operation.requestBody.content };
      }
      const statuses = Object.keys(operation.responses);
      // A redirecting GET that shows a page to a browser first (the authorization endpoint).
      if (method === 'get' && !statuses.some((status) => /^2/.test(status)) && statuses.some((status) => /^3/.test(status))) {
        operation.responses['200'] = { description: 'An HTML page for a browser', content: { 'text/html': { schema: { type: 'string' } } } };
      }
      if (!statuses.includes('400') && (operation.requestBody || /\{/.test(path) || method !== 'get')) {
        operation.responses['400'] = errorResponse('The request is malformed or fails validation', family);
      }
      if (operation.security.length > 0 && !statuses.includes('401')) {
        operation.responses['401'] = errorResponse('Missing or invalid credentials', family);
      }
      if (!Object.keys(operation.responses).some((status) => /^4/.test(status))) {
        operation.responses['4XX'] = errorResponse('A client error (for example 404 or 429)', family);
      }
    }
  }
  return document;
}
