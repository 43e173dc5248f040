import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { profileStreamId, type RegisterProfile } from '@platform/contracts';
import { CommandDispatcher } from '../../commands/command-dispatcher';
import { accepted } from '../../http/accepted';
import { RegistrationsGuard } from '../../http/brute-force';
import { UsernameAndPasswordDto } from '../credentials.dto';
import { hashPassword } from '../password-hashing';
import { assertStrongPassword } from '../password-policy';

export class RegisterProfileDto extends UsernameAndPasswordDto {}

@ApiTags('profile')
@Controller('profile')
export class RegisterProfileRoute {
  constructor(private readonly dispatcher: CommandDispatcher) {}

  @Post('register-profile')
  @HttpCode(202)
  @UseGuards(RegistrationsGuard)
  @ApiTooManyRequestsResponse({ description: 'Too many registrations from this client address; see Retry-After.' })
  @ApiAcceptedResponse({ description: '`{"commandId"}`; poll /request-status/{commandId}' })
  async register(@Body() body: RegisterProfileDto, @Res({ passthrough: true }) reply: FastifyReply) {
    assertStrongPassword(body.password, body.username);
    const profileId = uuidv7();
    const command: RegisterProfile = {
      type: 'RegisterProfile',
      profileId,
      username: body.username,
      passwordHash: await hashPassword(body.password),
    };
    const commandId = await this.dispatcher.dispatch({
      context: 'profile',
      streamId: profileStreamId(profileId),
      command,
      actor: { profileId },
    });
    return accepted(reply, commandId);
  }
}
