import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { PlatformConfig } from '@platform/config';
import { authorizationTokenStreamId, ErrorCodes, type IssueAuthorizationToken } from '@platform/contracts';
import { PG_POOL, PLATFORM_CONFIG } from '@platform/service-runtime';
import { CommandDispatcher } from '../../commands/command-dispatcher';
import { CommandWaiter } from '../../commands/command-waiter';
import { GATEWAY_SCHEMA } from '../../gateway.options';
import { ApiError } from '../../http/errors';
import { sha256 } from '../../http/profile-auth';
import { isoWithOffset } from '../../http/time';
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
    private readonly dispatcher: CommandDispatcher,
    private readonly waiter: CommandWaiter,
  ) {}

  @Post('authenticate')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{"authorizationToken","expiresAt"}`' })
  async authenticate(@Body() body: AuthenticateDto) {
    const { rows } = await this.pool.query(
      `SELECT profile_id, password_hash FROM "${this.schema}".profile_credentials WHERE username_key = lower($1)`,
      [body.username],
    );
    if (!(await verifyPassword(rows[0]?.password_hash, body.password))) {
      throw new ApiError(HttpStatus.UNAUTHORIZED, ErrorCodes.profileInvalidCredentials, 'Unknown username or wrong password.');
    }
    return this.issueToken(rows[0].profile_id, this.config.authorizationTokenTtlSeconds);
  }

  private async issueToken(profileId: string, ttlSeconds: number) {
    const token = randomBytes(32).toString('base64url');
    const tokenId = uuidv7();
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000).toISOString();
    const command: IssueAuthorizationToken = { type: 'IssueAuthorizationToken', tokenId, profileId, tokenHash: sha256(token), expiresAt };
    const commandId = await this.dispatcher.dispatch({
      context: 'token',
      streamId: authorizationTokenStreamId(tokenId),
      command,
      actor: { profileId },
    });
    const outcome = await this.waiter.waitForTerminal(commandId);
    if (outcome?.status !== 'succeeded') {
      throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, outcome ? (outcome.reason ?? ErrorCodes.internal) : ErrorCodes.commandTimeout, 'The token could not be issued in time; try again.');
    }
    return { authorizationToken: token, expiresAt: isoWithOffset(expiresAt) };
  }
}
