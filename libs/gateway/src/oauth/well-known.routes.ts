import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { PlatformConfig } from '@platform/config';
import { SCOPE_CATALOGUE } from '@platform/contracts';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import { SigningKeys } from './signing-keys';

@ApiTags('oauth')
@Controller('.well-known')
export class WellKnownRoutes {
  constructor(
    private readonly keys: SigningKeys,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /** RFC 8414 authorization server metadata. */
  @Get('oauth-authorization-server')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({ description: 'RFC 8414 metadata: issuer, endpoints, grant types, PKCE method, client authentication methods' })
  metadata() {
    const issuer = this.config.issuer;
    const clientAuth = ['client_secret_basic', 'client_secret_post', 'none'];
    return {
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      scopes_supported: SCOPE_CATALOGUE,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      token_endpoint_auth_methods_supported: clientAuth,
      revocation_endpoint_auth_methods_supported: clientAuth,
      introspection_endpoint_auth_methods_supported: clientAuth,
      service_documentation: `${issuer}/docs`,
    };
  }

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({ description: 'The public keys that verify access tokens, the previous ones during their overlap' })
  jwks() {
    return this.keys.jwks();
  }
}
