import { Body, Controller, Get, HttpCode, HttpStatus, Post, Req, UseFilters } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import { IsString, Length } from 'class-validator';
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ErrorCodes, type IssueAuthorizationCode, scopesWithin } from '@platform/contracts';
import { authorizationCredentials } from '../../http/authorization-header';
import { ApiError, unauthorized } from '../../http/errors';
import { GrantStatusCache } from '../../http/grant-status-cache';
import { sha256 } from '../../http/profile-auth';
import { isoWithOffset } from '../../http/time';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { GrantsRepository } from '../../oauth-app/grants.repository';
import { AccessTokens } from '../../oauth/access-tokens';
import { basicCredentials, ClientAuthentication } from '../../oauth/client-authentication';
import { WwwAuthenticateFilter } from '../../oauth/www-authenticate.filter';
import { TokenIssuer } from '../../oauth/token-issuer';
import { AuthorizationCodeGrant } from './grants/authorization-code';
import { RefreshTokenGrant } from './grants/refresh-token';

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
    private readonly applications: ApplicationsRepository,
    private readonly grants: GrantsRepository,
    private readonly issuer: TokenIssuer,
    private readonly accessTokens: AccessTokens,
    private readonly grantStatus: GrantStatusCache,
    private readonly commandBus: CommandBus,
  ) {}

  @Post('retrieve-authorization-code')
  @HttpCode(200)
  @ApiBasicAuth()
  @ApiOkResponse({ description: '`{"clientId","nonce","authorizationCode","expiresAt"}`' })
  async retrieveCode(@Req() request: FastifyRequest, @Body() body: RetrieveAuthorizationCodeDto) {
    const credentials = basicCredentials(request, false);
    const application = await this.clients.authenticate(credentials?.id, credentials?.secret);
    const grant = await this.grants.byId(body.id);
    if (!grant || grant.clientId !== application.clientId) throw new ApiError(HttpStatus.NOT_FOUND, ErrorCodes.notFound, 'No such authorization request for this client.');
    // A wrong nonce is refused here and burns nothing.
    if (grant.nonceHash !== sha256(body.nonce)) throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.oauthInvalidNonce, 'The nonce does not match the request.');
    if (grant.status !== 'requested') throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, ErrorCodes.oauthAlreadyRetrieved, 'The code was already retrieved.');
    const code = randomBytes(32).toString('base64url');
    const command: IssueAuthorizationCode = { type: 'IssueAuthorizationCode', grantId: grant.grantId, clientId: application.clientId, nonceHash: grant.nonceHash, codeHash: sha256(code) };
    await this.issuer.runGrantCommand(command, { applicationId: application.applicationId, profileId: grant.profileId ?? undefined });
    return { clientId: application.clientId, nonce: body.nonce, authorizationCode: code, expiresAt: isoWithOffset(grant.codeExpiresAt!) };
  }

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

  @Get('retrieve-oauth-application-scope')
  @ApiBasicAuth()
  @ApiOkResponse({ description: '`{"clientId","scope":[…]}`: the token’s granted scopes' })
  async scope(@Req() request: FastifyRequest) {
    const token = rawBasicToken(request);
    const claims = token ? await this.accessTokens.verify(token) : undefined;
    if (!claims || !(await this.grantStatus.isUsable(claims.grantId))) throw unauthorized('The access token is invalid, expired or revoked.');
    const application = await this.applications.byId(claims.applicationId);
    return { clientId: claims.clientId, scope: scopesWithin(claims.scopes, application?.scopes ?? []) };
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
