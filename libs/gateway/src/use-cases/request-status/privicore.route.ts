import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ProfileTokenVerifier } from '../../http/profile-auth';
import { RequestStatusQuery } from './request-status.query';

/** No guard: anyone may poll; a valid token of the command's profile also sees the result. */
@ApiTags('commands')
@Controller('request-status')
export class RequestStatusRoute {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly verifier: ProfileTokenVerifier,
  ) {}

  @Get(':commandId')
  @ApiOkResponse({ description: '`{"commandId","status","command_status","body","result"}`' })
  get(@Param('commandId') commandId: string, @Req() request: FastifyRequest) {
    return this.status(commandId, request);
  }

  @Post(':commandId')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The same answer as GET.' })
  post(@Param('commandId') commandId: string, @Req() request: FastifyRequest) {
    return this.status(commandId, request);
  }

  private async status(commandId: string, request: FastifyRequest) {
    const viewer = await this.verifier.fromRequest(request);
    return this.queryBus.execute(new RequestStatusQuery(commandId, viewer?.profileId));
  }
}
