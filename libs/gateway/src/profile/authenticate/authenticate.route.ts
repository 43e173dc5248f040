import { Body, Controller, HttpCode, HttpStatus, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Pool } from 'pg';
import type { PlatformConfig } from '@platform/config';
import { ErrorCodes } from '@platform/contracts';
import { PG_POOL, PLATFORM_CONFIG } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../../gateway.options';
import { ApiError } from '../../http/errors';
import { BruteForceGuard } from '../../http/brute-force';
import { isoWithOffset } from '../../http/time';
import { TokenCommands } from '../authorization-tokens/token-commands';
import { UsernameAndPasswordDto } from '../credentials.dto';
import { verifyPassword } from '../password-hashing';

export class AuthenticateDto extends UsernameAndPasswordDto {}

@ApiTags('profile')
@Controller('profile')
export class AuthenticateRoute {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly tokens: TokenCommands,
  ) {}

  @Post('authenticate')
  @HttpCode(200)
  @UseGuards(BruteForceGuard)
  @ApiOkResponse({ description: '`{"authorizationToken","expiresAt"}`' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this client or for this username; see Retry-After.' })
  async authenticate(@Body() body: AuthenticateDto) {
    const { rows } = await this.pool.query(
      `SELECT profile_id, password_hash FROM "${this.schema}".profile_credentials WHERE username_key = lower($1)`,
      [body.username],
    );
    if (!(await verifyPassword(rows[0]?.password_hash, body.password))) {
      throw new ApiError(HttpStatus.UNAUTHORIZED, ErrorCodes.profileInvalidCredentials, 'Unknown username or wrong password.');
    }
    const token = this.tokens.newSecret();
    const expiresAt = new Date(Date.now() + this.config.authorizationTokenTtlSeconds * 1000).toISOString();
    await this.tokens.require(
      { type: 'IssueAuthorizationToken', profileId: rows[0].profile_id, tokenId: token.id, tokenHash: token.hash, expiresAt },
      HttpStatus.SERVICE_UNAVAILABLE,
      'The token could not be issued; try again.',
    );
    return { authorizationToken: token.value, expiresAt: isoWithOffset(expiresAt) };
  }
}
