import { Inject, Injectable } from '@nestjs/common';
import { CompactSign, compactVerify, decodeProtectedHeader, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import type { PlatformConfig } from '@platform/config';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import { SIGNING_ALGORITHM, SigningKeys } from './signing-keys';

export interface AccessTokenClaims {
  jti: string;
  sub: string;
  clientId: string;
  scopes: string[];
  grantId: string;
  applicationId: string;
  /** The profile the token acts for; null for a client_credentials token (it acts as the application). */
  profileId: string | null;
  expiresAt: number;
}

export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Tokens whose signature was checked recently: resource servers introspect the same token on every call. */
const VERIFIED_TOKENS = 10_000;

/** JWT access tokens, RFC 9068 profile: `typ` at+jwt, `kid`, iss, sub, aud, client_id, scope, jti, iat, exp. */
@Injectable()
export class AccessTokens {
  /** token → the key id it was signed with and its claims; a hit still needs that key to be published. */
  private readonly verified = new LRUCache<string, { kid: string | undefined; claims: AccessTokenClaims }>({ max: VERIFIED_TOKENS });

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly keys: SigningKeys,
  ) {}

  /** jose's `CompactSign` over claims serialised once: `SignJWT`'s claim builder cost about 40 µs a token, more than the rest of the route. */
  async sign(claims: Omit<AccessTokenClaims, 'sub'>): Promise<string> {
    const signer = this.keys.signer;
    const payload = {
      iss: this.config.issuer,
      sub: claims.profileId ?? claims.clientId,
      aud: this.config.issuer,
      jti: claims.jti,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(claims.expiresAt / 1000),
      client_id: claims.clientId,
      scope: claims.scopes.join(' '),
      sid: claims.grantId,
      app: claims.applicationId,
      ...(claims.profileId ? { profile_id: claims.profileId } : {}),
    };
    return new CompactSign(Buffer.from(JSON.stringify(payload)))
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: signer.kid })
      .sign(signer.privateKey);
  }

  /** A valid, unexpired token's claims, or undefined. Revocation is checked by the caller. */
  async verify(token: string): Promise<AccessTokenClaims | undefined> {
    try {
      const key = await this.keys.verificationKey(decodeProtectedHeader(token).kid);
      if (!key) return undefined;
      const { payload } = await jwtVerify(token, key, {
        issuer: this.config.issuer,
        audience: this.config.issuer,
        algorithms: [SIGNING_ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
      });
      return toClaims(payload);
    } catch {
      return undefined;
    }
  }

  /** Signature and issuer only: the refresh route accepts an expired access token of the same grant. */
  async verifySignatureOnly(token: string): Promise<AccessTokenClaims | undefined> {
    const known = this.verified.get(token);
    if (known) return (await this.keys.verificationKey(known.kid)) ? known.claims : undefined;
    try {
      const kid = decodeProtectedHeader(token).kid;
      const key = await this.keys.verificationKey(kid);
      if (!key) return undefined;
      const { payload } = await compactVerify(token, key, { algorithms: [SIGNING_ALGORITHM] });
      const decoded = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      const claims = decoded.iss === this.config.issuer ? toClaims(decoded) : undefined;
      if (claims) this.verified.set(token, { kid, claims });
      return claims;
    } catch {
      return undefined;
    }
  }
}

function toClaims(payload: Record<string, unknown>): AccessTokenClaims | undefined {
  if (typeof payload.jti !== 'string' || typeof payload.sid !== 'string' || typeof payload.client_id !== 'string') return undefined;
  return {
    jti: payload.jti,
    sub: String(payload.sub),
    clientId: payload.client_id,
    scopes: typeof payload.scope === 'string' && payload.scope ? payload.scope.split(' ') : [],
    grantId: payload.sid,
    applicationId: String(payload.app),
    profileId: typeof payload.profile_id === 'string' ? payload.profile_id : null,
    expiresAt: Number(payload.exp) * 1000,
  };
}
