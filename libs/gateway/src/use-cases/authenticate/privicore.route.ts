import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { withRetryAfter } from '../../http/brute-force';
import { isoWithOffset } from '../../http/time';
import { UsernameAndPasswordDto } from '../../profile/credentials.dto';
import { AuthenticateCommand } from './authenticate.command';

export class AuthenticateDto extends UsernameAndPasswordDto {}

@ApiTags('profile')
@Controller('profile')
export class AuthenticateRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('authenticate')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{"authorizationToken","expiresAt"}`' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this client, or too many failures for this username; see Retry-After.' })
  async authenticate(@Body() body: AuthenticateDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const token = await this.commandBus.execute(new AuthenticateCommand(request.ip, body.username, body.password)).catch(withRetryAfter(reply));
    return { authorizationToken: token.value, expiresAt: isoWithOffset(token.expiresAt) };
  }
}
