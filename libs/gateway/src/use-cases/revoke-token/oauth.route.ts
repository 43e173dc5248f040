import { Body, Controller, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBasicAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { StandardClientAuthentication } from '../../oauth/standard-client-authentication';
import { OAuthErrorFilter } from '../../oauth-standard/oauth-error.filter';
import { TokenOperationDto } from '../../oauth-standard/token-operation.dto';
import { RevokeTokenCommand } from './revoke-token.command';

/** RFC 7009 revocation, for JWT access tokens and refresh tokens alike. */
@ApiTags('oauth')
@Controller('oauth')
@UseFilters(OAuthErrorFilter)
export class RevokeTokenRoute {
  constructor(
    private readonly clients: StandardClientAuthentication,
    private readonly commandBus: CommandBus,
  ) {}

  @Post('revoke')
  @HttpCode(200)
  @ApiBasicAuth()
  @ApiOkResponse({ description: 'Always 200 for an authenticated client (RFC 7009 §2.2)' })
  async revoke(@Req() request: FastifyRequest, @Body() body: TokenOperationDto) {
    const client = await this.clients.authenticate(request, body);
    await this.commandBus.execute(new RevokeTokenCommand(client, body.token));
    return {};
  }
}
