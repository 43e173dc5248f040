import { type CanActivate, createParamDecorator, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { unauthorized } from './errors';

export interface ProfilePrincipal {
  profileId: string;
  tokenId: string;
  expiresAt: string;
}

export const PROFILE_TOKEN_HEADER = 'x-dpt-authorization';
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Resolves a profile authorization token to its principal, or undefined when unknown, expired or revoked. */
@Injectable()
export class ProfileTokenVerifier {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
  ) {}

  async verify(token: string | undefined): Promise<ProfilePrincipal | undefined> {
    if (!token || token.length > 512) return undefined;
    const { rows } = await this.pool.query(
      `SELECT token_id, profile_id, expires_at FROM "${this.schema}".authorization_tokens
        WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [sha256(token)],
    );
    if (rows.length === 0) return undefined;
    return { tokenId: rows[0].token_id, profileId: rows[0].profile_id, expiresAt: new Date(rows[0].expires_at).toISOString() };
  }

  async fromRequest(request: FastifyRequest): Promise<ProfilePrincipal | undefined> {
    const header = request.headers[PROFILE_TOKEN_HEADER];
    return this.verify(Array.isArray(header) ? header[0] : header);
  }
}

type WithPrincipal = FastifyRequest & { principal?: ProfilePrincipal };

@Injectable()
export class ProfileTokenGuard implements CanActivate {
  constructor(private readonly verifier: ProfileTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WithPrincipal>();
    const principal = await this.verifier.fromRequest(request);
    if (!principal) throw unauthorized();
    request.principal = principal;
    return true;
  }
}

export const Principal = createParamDecorator(
  (_: unknown, context: ExecutionContext): ProfilePrincipal => context.switchToHttp().getRequest<WithPrincipal>().principal!,
);
