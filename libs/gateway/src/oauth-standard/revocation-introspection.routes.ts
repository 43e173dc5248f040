import { Body, Controller, Header, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { type RevokeGrant, scopesWithin } from '@platform/contracts';
import { GrantStatusCache } from '../http/grant-status-cache';
import { sha256 } from '../http/profile-auth';
import { ApplicationsRepository } from '../oauth-app/applications.repository';
import { GrantsRepository } from '../oauth-app/grants.repository';
import { AccessTokens } from '../oauth/access-tokens';
import { TokenIssuer } from '../oauth/token-issuer';
import type { OAuthApplicationRow } from '../read-models/oauth-applications.projection';
import type { GrantRow } from '../read-models/grants.projection';
import { StandardClientAuthentication } from '../oauth/standard-client-authentication';
import { OAuthErrorFilter } from './oauth-error.filter';

export class TokenOperationDto {
  @ApiProperty() @IsString() @MaxLength(4096) token!: string;
  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'] }) @IsOptional() @IsString() @MaxLength(32) token_type_hint?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) client_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) client_secret?: string;
}

interface Located {
  grant: GrantRow;
  kind: 'access_token' | 'refresh_token';
  active: boolean;
  scopes: string[];
  details: Record<string, unknown>;
}

const seconds = (iso: string | number) => Math.floor(new Date(iso).getTime() / 1000);

/** RFC 7009 revocation and RFC 7662 introspection, for JWT access tokens and refresh tokens alike. */
@ApiTags('oauth')
@Controller('oauth')
@UseFilters(OAuthErrorFilter)
export class RevocationIntrospectionRoutes {
  constructor(
    private readonly clients: StandardClientAuthentication,
    private readonly applications: ApplicationsRepository,
    private readonly grants: GrantsRepository,
    private readonly grantStatus: GrantStatusCache,
    private readonly accessTokens: AccessTokens,
    private readonly issuer: TokenIssuer,
  ) {}

  /** A client revokes only its own tokens; revoking either kind revokes the grant, so its family too. */
  @Post('revoke')
  @HttpCode(200)
  @ApiBasicAuth()
  @ApiOkResponse({ description: 'Always 200 for an authenticated client (RFC 7009 §2.2)' })
  async revoke(@Req() request: FastifyRequest, @Body() body: TokenOperationDto) {
    const client = await this.clients.authenticate(request, body);
    const located = await this.locate(body.token);
    if (located && located.grant.clientId === client.clientId && located.grant.status !== 'revoked') {
      const command: RevokeGrant = { type: 'RevokeGrant', grantId: located.grant.grantId, reason: 'revoked-by-client' };
      await this.issuer.runGrantCommand(command, { applicationId: client.applicationId, profileId: located.grant.profileId ?? undefined });
    }
    return {};
  }

  /** Tokens of this client or of another application of the same profile; anything else is inactive. */
  @Post('introspect')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiBasicAuth()
  @ApiOkResponse({ description: '`{"active":true,…}` or `{"active":false}`' })
  async introspect(@Req() request: FastifyRequest, @Body() body: TokenOperationDto) {
    const client = await this.clients.authenticate(request, body);
    const located = await this.locate(body.token);
    if (!located || !located.active || !(await this.visibleTo(client, located.grant))) return { active: false };
    // Only what the application may still do: a token whose every scope was removed is inactive.
    const application = await this.applications.byId(located.grant.applicationId);
    const scopes = scopesWithin(located.scopes, application?.scopes ?? []);
    if (scopes.length === 0) return { active: false };
    return { active: true, client_id: located.grant.clientId, ...located.details, scope: scopes.join(' ') };
  }

  private async visibleTo(client: OAuthApplicationRow, grant: GrantRow): Promise<boolean> {
    if (grant.clientId === client.clientId) return true;
    const owner = await this.applications.byId(grant.applicationId);
    return owner?.profileId === client.profileId;
  }

  private async locate(token: string): Promise<Located | undefined> {
    if (token.split('.').length === 3) {
      const claims = await this.accessTokens.verifySignatureOnly(token);
      const found = claims && (await this.grantStatus.lookup(claims.grantId));
      if (!claims || !found) return undefined;
      const { grant } = found;
      const active = claims.expiresAt > Date.now() && found.usable;
      return {
        grant,
        kind: 'access_token',
        active,
        scopes: claims.scopes,
        details: { token_type: 'Bearer', sub: claims.sub, exp: Math.floor(claims.expiresAt / 1000), jti: claims.jti },
      };
    }
    const refresh = await this.grants.refreshTokenState(sha256(token));
    if (!refresh) return undefined;
    const active = refresh.current && Date.parse(refresh.expiresAt) > Date.now() && (await this.grantStatus.isUsable(refresh.grant.grantId));
    return {
      grant: refresh.grant,
      kind: 'refresh_token',
      active,
      scopes: refresh.grant.scopes,
      details: { token_type: 'refresh_token', sub: refresh.grant.profileId ?? refresh.grant.clientId, exp: seconds(refresh.expiresAt) },
    };
  }
}
