import { Body, Controller, Header, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Command, CommandBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { ErrorCodes } from '@platform/contracts';
import { scopeList } from '../../oauth-app/redirect-uri';
import { StandardClientAuthentication } from '../../oauth/standard-client-authentication';
import { OAuthError, type TokenSet } from '../../oauth/token-issuer';
import { OAuthErrorFilter } from '../../oauth-standard/oauth-error.filter';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';
import { AuthorizationCodeGrant } from './grants/authorization-code';
import { ClientCredentialsGrant } from './grants/client-credentials';
import { RefreshTokenGrant } from './grants/refresh-token';

export class TokenRequestDto {
  @ApiPropertyOptional({ enum: ['authorization_code', 'client_credentials', 'refresh_token'] })
  @IsOptional() @IsString() @MaxLength(64) grant_type?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) code?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) redirect_uri?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) code_verifier?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) refresh_token?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) scope?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) client_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) client_secret?: string;
}

const tokenResponse = (tokens: TokenSet) => ({
  access_token: tokens.accessToken,
  token_type: 'Bearer',
  expires_in: tokens.expiresIn,
  scope: tokens.scopes.join(' '),
  ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
});

/** RFC 6749 token endpoint: client authentication and the grant's shape; each grant is one handler both dialects share. */
@ApiTags('oauth')
@Controller('oauth')
@UseFilters(OAuthErrorFilter)
export class TokenRoute {
  constructor(
    private readonly clients: StandardClientAuthentication,
    private readonly commandBus: CommandBus,
  ) {}

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiBasicAuth()
  @ApiOkResponse({ description: '`{"access_token","token_type":"Bearer","expires_in","refresh_token","scope"}`' })
  async token(@Req() request: FastifyRequest, @Body() body: TokenRequestDto) {
    if (!body.grant_type) throw new OAuthError(ErrorCodes.oauthInvalidRequest, 'grant_type is required.');
    const client = await this.clients.authenticate(request, body);
    return tokenResponse(await this.commandBus.execute(this.grantOf(client, body)));
  }

  private grantOf(client: OAuthApplicationRow, body: TokenRequestDto): Command<TokenSet> {
    switch (body.grant_type) {
      case 'authorization_code':
        if (!body.code) throw new OAuthError(ErrorCodes.oauthInvalidRequest, 'code is required.');
        return new AuthorizationCodeGrant(client, body.code, body.redirect_uri, body.code_verifier);
      case 'client_credentials':
        return new ClientCredentialsGrant(client, body.scope);
      case 'refresh_token':
        if (!body.refresh_token) throw new OAuthError(ErrorCodes.oauthInvalidRequest, 'refresh_token is required.');
        return new RefreshTokenGrant({ client }, body.refresh_token, (scopeList({ value: body.scope ?? '' }) as string[]) ?? []);
      default:
        throw new OAuthError(ErrorCodes.oauthUnsupportedGrantType, `grant_type ${body.grant_type!.slice(0, 64)} is not supported.`);
    }
  }
}
