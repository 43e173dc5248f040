import { Body, Controller, HttpCode, HttpStatus, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { PlatformConfig } from '@platform/config';
import { ErrorCodes } from '@platform/contracts';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import { ApiError } from '../../http/errors';
import { BruteForceGuard } from '../../http/brute-force';
import { isoWithOffset } from '../../http/time';
import { TokenCommands } from '../authorization-tokens/token-commands';
import { UsernameAndPasswordDto } from '../credentials.dto';
import { CredentialsRepository } from '../credentials.repository';
import { verifyPassword } from '../password-hashing';

export class AuthenticateDto extends UsernameAndPasswordDto {}

@ApiTags('profile')
@Controller('profile')
export class AuthenticateRoute {
  constructor(
    private readonly credentials: CredentialsRepository,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly tokens: TokenCommands,
  ) {}

  @Post('authenticate')
  @HttpCode(200)
  @UseGuards(BruteForceGuard)
  @ApiOkResponse({ description: '`{"authorizationToken","expiresAt"}`' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this client or for this username; see Retry-After.' })
  async authenticate(@Body() body: AuthenticateDto) {
    const profile = await this.credentials.byUsername(body.username);
    if (!profile || !(await verifyPassword(profile.passwordHash, body.password))) {
      throw new ApiError(HttpStatus.UNAUTHORIZED, ErrorCodes.profileInvalidCredentials, 'Unknown username or wrong password.');
    }
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
