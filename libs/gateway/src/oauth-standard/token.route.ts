import { Body, Controller, Header, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { ErrorCodes, type IssueClientCredentialsToken, type RedeemAuthorizationCode, type RefreshAccessToken } from '@platform/contracts';
import { sha256 } from '../http/profile-auth';
import { ApplicationsRepository } from '../oauth-app/applications.repository';
import { GrantsRepository } from '../oauth-app/grants.repository';
import { scopeList } from '../oauth-app/redirect-uri';
import { grantApplicationOf, invalidGrant, OAuthError, TokenIssuer, type TokenSet } from '../oauth/token-issuer';
import { StandardClientAuthentication } from './client-credentials';
import { OAuthErrorFilter } from './oauth-error.filter';

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

const pkceChallenge = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/** RFC 6749 token endpoint on the same grant core as the Privicore routes. */
@ApiTags('oauth')
@Controller('oauth')
@UseFilters(OAuthErrorFilter)
export class TokenRoute {
  constructor(
    private readonly clients: StandardClientAuthentication,
    private readonly applications: ApplicationsRepository,
    private readonly grants: GrantsRepository,
    private readonly issuer: TokenIssuer,
  ) {}

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiBasicAuth()
  @ApiOkResponse({ description: '`{"access_token","token_type":"Bearer","expires_in","refresh_token","scope"}`' })
  async token(@Req() request: FastifyRequest, @Body() body: TokenRequestDto) {
    if (!body.grant_type) throw new OAuthError(ErrorCodes.oauthInvalidRequest, 'grant_type is required.');
    const application = await this.clients.authenticate(request, body);
    const actor = { applicationId: application.applicationId };
    switch (body.grant_type) {
      case 'authorization_code': {
        if (!body.code) throw new OAuthError(ErrorCodes.oauthInvalidRequest, 'code is required.');
        const grant = await this.grants.bySecret(sha256(body.code), 'code');
        if (!grant || grant.clientId !== application.clientId) throw invalidGrant();
        const minted = this.issuer.mint(application, true);
        const command: RedeemAuthorizationCode = {
          type: 'RedeemAuthorizationCode',
          grantId: grant.grantId,
          clientId: application.clientId,
          codeHash: sha256(body.code),
          redirectUri: body.redirect_uri,
          codeVerifierChallenge: body.code_verifier ? pkceChallenge(body.code_verifier) : undefined,
          tokens: minted.commandTokens,
        };
        await this.issuer.runGrantCommand(command, { ...actor, profileId: grant.profileId ?? undefined });
        return tokenResponse(await this.issuer.sign(minted, grant));
      }
      case 'client_credentials': {
        if (application.clientType === 'public') throw new OAuthError(ErrorCodes.oauthUnauthorizedClient, 'A public client cannot use client_credentials.');
        const grantId = uuidv7();
        const minted = this.issuer.mint(application, false);
        const scopes = (scopeList({ value: body.scope ?? '' }) as string[]) ?? [];
        const command: IssueClientCredentialsToken = { type: 'IssueClientCredentialsToken', grantId, application: grantApplicationOf(application), scopes, tokens: minted.commandTokens };
        await this.issuer.runGrantCommand(command, actor);
        const granted = scopes.length > 0 ? scopes : application.scopes;
        return tokenResponse(
          await this.issuer.sign(minted, { grantId, applicationId: application.applicationId, clientId: application.clientId, profileId: null, scopes: granted }),
        );
      }
      case 'refresh_token': {
        if (!body.refresh_token) throw new OAuthError(ErrorCodes.oauthInvalidRequest, 'refresh_token is required.');
        const grant = await this.grants.bySecret(sha256(body.refresh_token), 'refresh');
        if (!grant || grant.clientId !== application.clientId) throw invalidGrant();
        const minted = this.issuer.mint(application, true);
        const requested = (scopeList({ value: body.scope ?? '' }) as string[]) ?? [];
        const command: RefreshAccessToken = {
          type: 'RefreshAccessToken',
          grantId: grant.grantId,
          clientId: application.clientId,
          refreshTokenHash: sha256(body.refresh_token),
          scopes: requested,
          tokens: minted.commandTokens,
        };
        const decided = await this.issuer.runGrantCommand(command, { ...actor, profileId: grant.profileId ?? undefined });
        const scopes = decided.scopes ?? (requested.length > 0 ? requested : grant.scopes);
        return tokenResponse(await this.issuer.sign(minted, { ...grant, scopes }));
      }
      default:
        throw new OAuthError(ErrorCodes.oauthUnsupportedGrantType, `grant_type ${body.grant_type.slice(0, 64)} is not supported.`);
    }
  }
}
