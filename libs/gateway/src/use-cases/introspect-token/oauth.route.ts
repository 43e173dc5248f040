import { Body, Controller, Header, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBasicAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { StandardClientAuthentication } from '../../oauth/standard-client-authentication';
import { OAuthErrorFilter } from '../../oauth-standard/oauth-error.filter';
import { TokenOperationDto } from '../../oauth-standard/token-operation.dto';
import { IntrospectTokenQuery } from './introspect-token.query';

/** RFC 7662 introspection, for JWT access tokens and refresh tokens alike. */
@ApiTags('oauth')
@Controller('oauth')
@UseFilters(OAuthErrorFilter)
export class IntrospectTokenRoute {
  constructor(
    private readonly clients: StandardClientAuthentication,
    private readonly queryBus: QueryBus,
  ) {}

  @Post('introspect')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiBasicAuth()
  @ApiOkResponse({ description: '`{"active":true,…}` or `{"active":false}`' })
  async introspect(@Req() request: FastifyRequest, @Body() body: TokenOperationDto) {
    const client = await this.clients.authenticate(request, body);
    const token = await this.queryBus.execute(new IntrospectTokenQuery(body.token, client));
    // A token whose every scope was removed from its application is inactive.
    if (!token || token.scopes.length === 0) return { active: false };
    return {
      active: true,
      client_id: token.grant.clientId,
      token_type: token.kind === 'access_token' ? 'Bearer' : 'refresh_token',
      sub: token.subject,
      exp: token.expiresAt,
      ...(token.jti ? { jti: token.jti } : {}),
      scope: token.scopes.join(' '),
    };
  }
}
