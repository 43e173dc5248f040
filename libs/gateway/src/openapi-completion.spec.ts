import type { OpenAPIObject } from '@nestjs/swagger';
import { completeOpenApiDocument } from './openapi-completion';

const body = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Dto' } } } };
const document = (): OpenAPIObject => ({
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  components: { schemas: { Dto: { type: 'object' } } },
  paths: {
    '/profile/register-profile': { post: { requestBody: body, responses: { '202': { description: 'accepted' } } } },
    '/profile/change-password': { post: { requestBody: body, responses: { '202': { description: 'accepted' } } } },
    '/oauth/token': { post: { security: [{ basic: [] }], requestBody: body, responses: { '200': { description: 'tokens' } } } },
    '/oauth/authorize': { get: { responses: { '302': { description: 'redirect' } } } },
    '/o/apps/{id}': { delete: { responses: { '204': { description: 'gone' } } } },
    '/.well-known/jwks.json': { get: { responses: { '200': { description: 'keys' } } } },
  },
});

describe('completeOpenApiDocument', () => {
  const paths = completeOpenApiDocument(document()).paths;

  it('documents form-encoded bodies beside JSON, with the same schema', () => {
    expect(paths['/profile/register-profile'].post?.requestBody).toEqual({
      content: { 'application/x-www-form-urlencoded': body.content['application/json'], 'application/json': body.content['application/json'] },
    });
  });

  it("gives each operation its family's security, and public ones an explicit empty list", () => {
    expect(paths['/profile/register-profile'].post?.security).toEqual([]);
    expect(paths['/profile/change-password'].post?.security).toEqual([{ 'X-DPT-AUTHORIZATION': [] }]);
    expect(paths['/oauth/token'].post?.security).toEqual([{ basic: [] }]);
    expect(paths['/o/apps/{id}'].delete?.security).toEqual([{ bearer: [] }]);
    expect(paths['/.well-known/jwks.json'].get?.security).toEqual([]);
  });

  it("adds summaries and error responses in the route family's shape", () => {
    expect(paths['/oauth/token'].post?.summary).toBe('Token endpoint (RFC 6749 §3.2)');
    expect(paths['/o/apps/{id}'].delete?.summary).toBe('Delete an OAuth application');
    expect(paths['/o/apps/{id}'].delete?.operationId).toBe('deleteOAppsId');
    const schemaOf = (response: unknown) => (response as { content: { 'application/json': { schema: { $ref: string } } } }).content['application/json'].schema.$ref;
    expect(schemaOf(paths['/oauth/token'].post?.responses['400'])).toBe('#/components/schemas/OAuthError');
    expect(schemaOf(paths['/oauth/token'].post?.responses['401'])).toBe('#/components/schemas/OAuthError');
    expect(schemaOf(paths['/profile/change-password'].post?.responses['401'])).toBe('#/components/schemas/PrivicoreError');
    expect(schemaOf(paths['/o/apps/{id}'].delete?.responses['400'])).toBe('#/components/schemas/EnvelopeError');
    expect(schemaOf(paths['/.well-known/jwks.json'].get?.responses['4XX'])).toBe('#/components/schemas/PrivicoreError');
    expect(paths['/oauth/authorize'].get?.responses['200']).toMatchObject({ content: { 'text/html': {} } });
  });
});
