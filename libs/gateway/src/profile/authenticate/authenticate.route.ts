import { Body, Controller, HttpCode, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { PlatformConfig } from '@platform/config';
import { ErrorCodes } from '@platform/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import { ApiError } from '../../http/errors';
import { tooManyAttempts } from '../../http/brute-force';
import { isoWithOffset } from '../../http/time';
import { TokenCommands } from '../authorization-tokens/token-commands';
import { UsernameAndPasswordDto } from '../credentials.dto';
import { PasswordAttempts } from '../password-attempts';

export class AuthenticateDto extends UsernameAndPasswordDto {}

@ApiTags('profile')
@Controller('profile')
export class AuthenticateRoute {
  constructor(
    private readonly passwords: PasswordAttempts,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly tokens: TokenCommands,
  ) {}

  @Post('authenticate')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{"authorizationToken","expiresAt"}`' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this client, or too many failures for this username; see Retry-After.' })
  async authenticate(@Body() body: AuthenticateDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const check = await this.passwords.signIn(request.ip, body.username, body.password);
    if (check.outcome === 'throttled') throw tooManyAttempts(reply, check.retryAfterSeconds);
    if (check.outcome === 'rejected') {
      throw new ApiError(HttpStatus.UNAUTHORIZED, ErrorCodes.profileInvalidCredentials, 'Unknown username or wrong password.');
    }
    const { profile } = check;
    const token = this.tokens.newSecret();
    const expiresAt = new Date(Date.now() + this.config.authorizationTokenTtlSeconds * 1000).toISOString();
    await this.tokens.require(
      { type: 'IssueAuthorizationToken', profileId: profile.profileId, tokenId: token.id, tokenHash: token.hash, expiresAt },
      HttpStatus.SERVICE_UNAVAILABLE,
      'The token could not be issued; try again.',
    );
    return { authorizationToken: token.value, expiresAt: isoWithOffset(expiresAt) };
  }
}
