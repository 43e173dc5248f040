import { Body, Controller, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBasicAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { isoWithOffset } from '../../http/time';
import { basicCredentials, ClientAuthentication } from '../../oauth/client-authentication';
import { WwwAuthenticateFilter } from '../../oauth/www-authenticate.filter';
import { RetrieveAuthorizationCodeCommand } from './retrieve-authorization-code.command';

export class RetrieveAuthorizationCodeDto {
  @ApiProperty({ description: 'The command id of the code request' })
  @IsString()
  @Length(1, 64)
  id!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 256)
  nonce!: string;
}

@ApiTags('oauth-application')
@Controller('oauth-application')
@UseFilters(WwwAuthenticateFilter)
export class RetrieveAuthorizationCodeRoute {
  constructor(
    private readonly clients: ClientAuthentication,
    private readonly commandBus: CommandBus,
  ) {}

  @Post('retrieve-authorization-code')
  @HttpCode(200)
  @ApiBasicAuth()
  @ApiOkResponse({ description: '`{"clientId","nonce","authorizationCode","expiresAt"}`' })
  async retrieveCode(@Req() request: FastifyRequest, @Body() body: RetrieveAuthorizationCodeDto) {
    const credentials = basicCredentials(request, false);
    const client = await this.clients.authenticate(credentials?.id, credentials?.secret);
    const code = await this.commandBus.execute(new RetrieveAuthorizationCodeCommand(client, body.id, body.nonce));
    return { clientId: client.clientId, nonce: body.nonce, authorizationCode: code.authorizationCode, expiresAt: isoWithOffset(code.expiresAt) };
  }
}
