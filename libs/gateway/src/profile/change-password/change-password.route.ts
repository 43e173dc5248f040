import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiProperty, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ChangePassword, profileStreamId } from '@platform/contracts';
import { CommandDispatcher } from '../../commands/command-dispatcher';
import { accepted } from '../../http/accepted';
import { tooManyAttempts } from '../../http/brute-force';
import { CallerGuard } from '../../http/caller';
import { Principal, type ProfilePrincipal } from '../../http/profile-auth';
import { CredentialsRepository } from '../credentials.repository';
import { PasswordAttempts } from '../password-attempts';
import { hashPassword } from '../password-hashing';
import { assertStrongPassword } from '../password-policy';

export class ChangePasswordDto {
  @ApiProperty({ minLength: 1, maxLength: 128 })
  @IsString()
  @Length(1, 128)
  currentPassword!: string;

  @ApiProperty({ minLength: 12, maxLength: 128 })
  @IsString()
  @Length(12, 128)
  newPassword!: string;
}

/**
 * The gateway checks the current password against the hash it knows and sends only hashes; the
 * decider rejects `profile.invalid_password` when the check failed or the hash has changed since.
 */
@ApiTags('profile')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
export class ChangePasswordRoute {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly dispatcher: CommandDispatcher,
    private readonly passwords: PasswordAttempts,
  ) {}

  @Post('change-password')
  @HttpCode(202)
  @UseGuards(CallerGuard)
  @ApiAcceptedResponse({ description: '`{"commandId"}`; a wrong current password ends `rejected` with `profile.invalid_password`' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this client, or too many failures for this username; see Retry-After.' })
  async change(
    @Principal() principal: ProfilePrincipal,
    @Body() body: ChangePasswordDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const current = await this.credentials.byProfileId(principal.profileId);
    assertStrongPassword(body.newPassword, current?.username);
    const check = await this.passwords.currentPassword(request.ip, principal.profileId, current, body.currentPassword);
    if (check.outcome === 'throttled') throw tooManyAttempts(reply, check.retryAfterSeconds);
    const command: ChangePassword = {
      type: 'ChangePassword',
      profileId: principal.profileId,
      currentPasswordVerified: check.outcome === 'accepted',
      verifiedAgainstHash: current?.passwordHash ?? '',
      newPasswordHash: await hashPassword(body.newPassword),
      keepAuthorizationTokenId: principal.tokenId,
    };
    const commandId = await this.dispatcher.dispatch({
      context: 'profile',
      streamId: profileStreamId(principal.profileId),
      command,
      actor: { profileId: principal.profileId },
    });
    return accepted(reply, commandId);
  }
}
