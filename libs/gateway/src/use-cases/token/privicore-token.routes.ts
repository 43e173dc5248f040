import { Body, Controller, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import { IsString, Length } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { authorizationCredentials } from '../../http/authorization-header';
import { unauthorized } from '../../http/errors';
import { isoWithOffset } from '../../http/time';
import { AccessTokens } from '../../oauth/access-tokens';
import { basicCredentials, ClientAuthentication } from '../../oauth/client-authentication';
import { WwwAuthenticateFilter } from '../../oauth/www-authenticate.filter';
import { AuthorizationCodeGrant } from './grants/authorization-code';
import { RefreshTokenGrant } from './grants/refresh-token';

export class ObtainAccessTokenDto {
  @ApiProperty()
  @IsString()
  @Length(1, 256)
  authorization_code!: string;
}

export class RefreshAccessTokenDto {
  @ApiProperty()
  @IsString()
  @Length(1, 256)
  refresh_token!: string;
}

/** `Authorization: Basic <access token>` on the Privicore routes carries the raw token. */
const rawBasicToken = (request: FastifyRequest): string | undefined => authorizationCredentials(request, 'basic');

/** The Privicore dialect of the code flow, on the token core the standards dialect shares. */
@ApiTags('oauth-application')
@Controller('oauth-application')
@UseFilters(WwwAuthenticateFilter)
export class PrivicoreTokenRoutes {
  constructor(
    private readonly clients: ClientAuthentication,
    private readonly accessTokens: AccessTokens,
    private readonly commandBus: CommandBus,
  ) {}

  @Post('obtain-access-token')
  @HttpCode(200)
  @ApiBasicAuth()
  @ApiOkResponse({ description: '`{"clientId","token","refreshToken","type":"bearer","scope","expiresAt","refreshTokenExpiresAt"}`' })
  async obtainAccessToken(@Req() request: FastifyRequest, @Body() body: ObtainAccessTokenDto) {
    const credentials = basicCredentials(request, false);
    const client = await this.clients.authenticate(credentials?.id, credentials?.secret);
    const tokens = await this.commandBus.execute(new AuthorizationCodeGrant(client, body.authorization_code));
    return {
      clientId: client.clientId,
      token: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      type: 'bearer',
      scope: tokens.scopes.join(' '),
      expiresAt: isoWithOffset(tokens.expiresAt),
      refreshTokenExpiresAt: isoWithOffset(tokens.refreshTokenExpiresAt!),
    };
  }

  @Post('refresh-access-token')
  @HttpCode(200)
  @ApiBasicAuth()
  @ApiOkResponse({ description: '`{"token","refreshToken","expiresAt","refreshTokenExpiresAt"}`; the refresh token rotates' })
  async refresh(@Req() request: FastifyRequest, @Body() body: RefreshAccessTokenDto) {
    const token = rawBasicToken(request);
    const claims = token ? await this.accessTokens.verifySignatureOnly(token) : undefined;
    if (!claims) throw unauthorized('A signed access token of this grant is required.');
    const tokens = await this.commandBus.execute(new RefreshTokenGrant({ accessTokenGrantId: claims.grantId }, body.refresh_token));
    return {
      token: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: isoWithOffset(tokens.expiresAt),
      refreshTokenExpiresAt: isoWithOffset(tokens.refreshTokenExpiresAt!),
    };
  }
}
