import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { COMMAND_STATUS_CODE, COMMAND_SUCCEEDED_BODY } from '@platform/contracts';
import { notFound } from '../http/errors';
import { ProfileTokenVerifier } from '../http/profile-auth';
import { CommandStatusRepository, type CommandStatusRow } from './command-status.repository';

const bodyOf = (row: CommandStatusRow): string =>
  row.status === 'succeeded' ? COMMAND_SUCCEEDED_BODY : row.status === 'rejected' ? (row.reason ?? 'rejected') : 'Command started';

@ApiTags('commands')
@Controller('request-status')
export class RequestStatusRoute {
  constructor(
    private readonly statuses: CommandStatusRepository,
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

  /** The outcome (`result`) is shown only to the profile the command acted for. */
  private async status(commandId: string, request: FastifyRequest) {
    const row = commandId.length <= 64 ? await this.statuses.find(commandId) : undefined;
    if (!row) throw notFound(`Unknown command id ${commandId.slice(0, 64)}.`);
    const caller = await this.verifier.fromRequest(request);
    const showResult = caller !== undefined && caller.profileId === row.profileId && row.result !== null;
    return {
      commandId: row.commandId,
      status: row.status,
      command_status: COMMAND_STATUS_CODE[row.status],
      body: bodyOf(row),
      ...(showResult ? { result: row.result } : {}),
    };
  }
}
