import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiProperty, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accepted } from '../../http/accepted';
import { withRetryAfter } from '../../http/brute-force';
import { CallerGuard } from '../../http/caller';
import { Principal, type ProfilePrincipal } from '../../http/profile-auth';
import { ChangePasswordCommand } from './change-password.command';

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

@ApiTags('profile')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
export class ChangePasswordRoute {
  constructor(private readonly commandBus: CommandBus) {}

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
    const command = new ChangePasswordCommand(principal, request.ip, body.currentPassword, body.newPassword);
    return accepted(reply, await this.commandBus.execute(command).catch(withRetryAfter(reply)));
  }
}
