import { createParamDecorator, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { hash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { type ProfilePrincipal, ProfileTokenCache } from './profile-token-cache';

export type { ProfilePrincipal };

export const PROFILE_TOKEN_HEADER = 'x-dpt-authorization';
export const sha256 = (value: string): string => hash('sha256', value, 'hex');

/** Resolves a profile authorization token to its principal, or undefined when unknown, expired or revoked. */
@Injectable()
export class ProfileTokenVerifier {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    private readonly cache: ProfileTokenCache,
  ) {}

  async verify(token: string | undefined): Promise<ProfilePrincipal | undefined> {
    if (!token || token.length > 512) return undefined;
    const tokenHash = sha256(token);
    const cached = this.cache.get(tokenHash);
    if (cached) return cached;
    const generation = this.cache.generation;
    const { rows } = await this.pool.query(
      `SELECT token_id, profile_id, expires_at FROM "${this.schema}".authorization_tokens
        WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [tokenHash],
    );
    if (rows.length === 0) return undefined;
    const principal = { tokenId: rows[0].token_id, profileId: rows[0].profile_id, expiresAt: new Date(rows[0].expires_at).toISOString() };
    this.cache.set(tokenHash, principal, generation);
    return principal;
  }

  /** Which of these token hashes are still valid, read from the database (not the cache). */
  async activeTokenHashes(tokenHashes: string[]): Promise<Set<string>> {
    if (tokenHashes.length === 0) return new Set();
    const { rows } = await this.pool.query(
      `SELECT token_hash FROM "${this.schema}".authorization_tokens
        WHERE token_hash = ANY($1) AND revoked_at IS NULL AND expires_at > now()`,
      [tokenHashes],
    );
    return new Set(rows.map((row) => row.token_hash as string));
  }

  async fromRequest(request: FastifyRequest): Promise<ProfilePrincipal | undefined> {
    const header = request.headers[PROFILE_TOKEN_HEADER];
    return this.verify(Array.isArray(header) ? header[0] : header);
  }
}

type WithPrincipal = FastifyRequest & { principal?: ProfilePrincipal };

export const Principal = createParamDecorator(
  (_: unknown, context: ExecutionContext): ProfilePrincipal => context.switchToHttp().getRequest<WithPrincipal>().principal!,
);
