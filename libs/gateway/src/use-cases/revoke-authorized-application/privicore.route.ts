import { Body, Controller, HttpCode, HttpStatus, Post, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCodes } from '@platform/contracts';
import { accepted } from '../../http/accepted';
import { actorOf, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { ApiError } from '../../http/errors';
import { RevokeAuthorizedApplicationCommand } from './revoke-authorized-application.command';
import { RevokeAuthorizedApplicationDto } from './revoke-authorized-application.dto';

const exactlyOne = () =>
  new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.validation, 'Give either grantId or applicationId.', [{ field: 'grantId', problems: ['either grantId or applicationId is required'] }]);

@ApiTags('profile')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
@UseGuards(CallerGuard)
export class RevokeAuthorizedApplicationRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('authorized-application-revoke')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: "`{\"commandId\"}`; the grant's access and refresh tokens are refused once it succeeds" })
  @ApiNotFoundResponse({ description: 'No live grant of this profile with that id or to that application' })
  async revoke(@CurrentCaller() caller: Caller, @Body() body: RevokeAuthorizedApplicationDto, @Res({ passthrough: true }) reply: FastifyReply) {
    if ((body.grantId === undefined) === (body.applicationId === undefined)) throw exactlyOne();
    const target = body.grantId !== undefined ? { grantId: body.grantId } : { applicationId: body.applicationId! };
    return accepted(reply, await this.commandBus.execute(new RevokeAuthorizedApplicationCommand(caller.profileId, target, actorOf(caller))));
  }
}
