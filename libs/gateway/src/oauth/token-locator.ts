import { Injectable } from '@nestjs/common';
import { GrantStatusCache } from '../http/grant-status-cache';
import { sha256 } from '../http/profile-auth';
import { GrantsRepository } from '../oauth-app/grants.repository';
import type { GrantRow } from '../read-models/grants.projection';
import { AccessTokens } from './access-tokens';

/** A token the gateway issued, whatever its state: its grant, and whether it works now. */
export interface LocatedToken {
  grant: GrantRow;
  kind: 'access_token' | 'refresh_token';
  active: boolean;
  scopes: string[];
  subject: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  jti?: string;
}

const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/** Finds a JWT access token (by its signature) or a refresh token (by its hash), for revocation and introspection. */
@Injectable()
export class TokenLocator {
  constructor(
    private readonly grants: GrantsRepository,
    private readonly grantStatus: GrantStatusCache,
    private readonly accessTokens: AccessTokens,
  ) {}

  async locate(token: string): Promise<LocatedToken | undefined> {
    return token.split('.').length === 3 ? this.accessToken(token) : this.refreshToken(token);
  }

  private async accessToken(token: string): Promise<LocatedToken | undefined> {
    const claims = await this.accessTokens.verifySignatureOnly(token);
    const found = claims && (await this.grantStatus.lookup(claims.grantId));
    if (!claims || !found) return undefined;
    const { grant } = found;
    const active = claims.expiresAt > Date.now() && found.usable;
    return { grant, kind: 'access_token', active, scopes: claims.scopes, subject: claims.sub, expiresAt: Math.floor(claims.expiresAt / 1000), jti: claims.jti };
  }

  private async refreshToken(token: string): Promise<LocatedToken | undefined> {
    const refresh = await this.grants.refreshTokenState(sha256(token));
    if (!refresh) return undefined;
    const active = refresh.current && Date.parse(refresh.expiresAt) > Date.now() && (await this.grantStatus.isUsable(refresh.grant.grantId));
    const { grant } = refresh;
    return { grant, kind: 'refresh_token', active, scopes: grant.scopes, subject: grant.profileId ?? grant.clientId, expiresAt: seconds(refresh.expiresAt) };
  }
}
