import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { accepted } from '../../http/accepted';
import { RegistrationsGuard } from '../../http/brute-force';
import { UsernameAndPasswordDto } from '../../profile/credentials.dto';
import { RegisterProfileCommand } from './register-profile.command';

export class RegisterProfileDto extends UsernameAndPasswordDto {}

@ApiTags('profile')
@Controller('profile')
export class RegisterProfileRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('register-profile')
  @HttpCode(202)
  @UseGuards(RegistrationsGuard)
  @ApiTooManyRequestsResponse({ description: 'Too many registrations from this client address; see Retry-After.' })
  @ApiAcceptedResponse({ description: '`{"commandId"}`; poll /request-status/{commandId}' })
  async register(@Body() body: RegisterProfileDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return accepted(reply, await this.commandBus.execute(new RegisterProfileCommand(body.username, body.password)));
  }
}
