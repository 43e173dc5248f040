import { Controller, Get, Req, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBasicAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { authorizationCredentials } from '../../http/authorization-header';
import { unauthorized } from '../../http/errors';
import { WwwAuthenticateFilter } from '../../oauth/www-authenticate.filter';
import { IntrospectTokenQuery } from './introspect-token.query';

/** The Privicore dialect's introspection: the holder of an access token (`Authorization: Basic <token>`) reads the scopes its application still allows. */
@ApiTags('oauth-application')
@Controller('oauth-application')
@UseFilters(WwwAuthenticateFilter)
export class TokenScopeRoute {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('retrieve-oauth-application-scope')
  @ApiBasicAuth()
  @ApiOkResponse({ description: '`{"clientId","scope":[…]}`: the token’s granted scopes' })
  async scope(@Req() request: FastifyRequest) {
    const raw = authorizationCredentials(request, 'basic');
    const token = raw ? await this.queryBus.execute(new IntrospectTokenQuery(raw)) : undefined;
    if (token?.kind !== 'access_token') throw unauthorized('The access token is invalid, expired or revoked.');
    return { clientId: token.grant.clientId, scope: token.scopes };
  }
}
