import { Body, Controller, HttpCode, Inject, Post, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { Pool } from 'pg';
import { type ChangePassword, profileStreamId } from '@platform/contracts';
import { PG_POOL } from '@platform/service-runtime';
import { CommandDispatcher } from '../../commands/command-dispatcher';
import { GATEWAY_SCHEMA } from '../../gateway.options';
import { accepted } from '../../http/accepted';
import { CallerGuard } from '../../http/caller';
import { Principal, type ProfilePrincipal } from '../../http/profile-auth';
import { hashPassword, verifyPassword } from '../password-hashing';
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
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    private readonly dispatcher: CommandDispatcher,
  ) {}

  @Post('change-password')
  @HttpCode(202)
  @UseGuards(CallerGuard)
  @ApiAcceptedResponse({ description: '`{"commandId"}`; a wrong current password ends `rejected` with `profile.invalid_password`' })
  async change(@Principal() principal: ProfilePrincipal, @Body() body: ChangePasswordDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { rows } = await this.pool.query(
      `SELECT username, password_hash FROM "${this.schema}".profile_credentials WHERE profile_id = $1`,
      [principal.profileId],
    );
    assertStrongPassword(body.newPassword, rows[0]?.username);
    const command: ChangePassword = {
      type: 'ChangePassword',
      profileId: principal.profileId,
      currentPasswordVerified: await verifyPassword(rows[0]?.password_hash, body.currentPassword),
      verifiedAgainstHash: rows[0]?.password_hash ?? '',
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
