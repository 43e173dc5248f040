import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI 3 from the same DTOs that validate requests: `/openapi.json`, and Swagger UI at `/docs`. */
export function setUpOpenApi(app: NestFastifyApplication, issuer: string): void {
  const config = new DocumentBuilder()
    .setTitle('OAuth application and token platform')
    .setDescription(
      'Two dialects on one core: the Privicore dialect (form bodies, `X-DPT-AUTHORIZATION`, `202` + command id, `/request-status/{commandId}`) ' +
        'and the OAuth 2 standards dialect (RFC 6749/7636/7009/7662/8414/9068) with the `/o/apps/` management API.',
    )
    .setVersion('1')
    .addServer(issuer)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-DPT-AUTHORIZATION', description: "The profile's authorization token" }, 'X-DPT-AUTHORIZATION')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An application access token' })
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'Client credentials (or, on the Privicore scope and refresh routes, the raw access token)' })
    .build();
  const document = addBrowserForms(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
}

const formField = { type: 'string' } as const;

/** The login and consent forms behind `/oauth/authorize`: HTML for browsers, listed so that every route is documented. */
function addBrowserForms(document: OpenAPIObject): OpenAPIObject {
  const form = (summary: string, fields: Record<string, number>) => ({
    post: {
      tags: ['oauth'],
      summary,
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: {
              type: 'object' as const,
              properties: Object.fromEntries(Object.entries(fields).map(([name, maxLength]) => [name, { ...formField, maxLength }])),
              required: Object.keys(fields),
            },
          },
        },
      },
      responses: {
        '200': { description: 'The next page (consent) as HTML' },
        '302': { description: 'Redirect to the redirect URI with code and state, or an RFC 6749 error' },
        '400': { description: 'The form expired or was already used (HTML)' },
        '401': { description: 'Wrong username or password (the login page again)' },
      },
    },
  });
  document.paths['/oauth/authorize/login'] = form('Browser login form of the authorization page', { request_id: 64, csrf_token: 128, username: 64, password: 128 });
  document.paths['/oauth/authorize/consent'] = form('Browser consent form of the authorization page (decision=approve or deny)', { request_id: 64, csrf_token: 128, decision: 16 });
  return document;
}
