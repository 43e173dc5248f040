import { Body, Controller, HttpCode, Param, Patch, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { EnvelopeErrorFilter } from '../../http/envelope-error.filter';
import { UpdateApplicationCommand } from './update-application.command';
import { PatchAppDto } from './update-application.dto';

@ApiTags('o/apps')
@ApiBearerAuth()
@Controller('o/apps')
@UseGuards(CallerGuard)
@UseFilters(EnvelopeErrorFilter)
export class OAppsUpdateRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Patch(':id')
  @HttpCode(200)
  @Access({ scope: 'oauth-app:write' })
  @ApiOkResponse({ description: '`{id,name,client_id,client_type,redirect_uris,scope}` as updated' })
  async update(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: PatchAppDto) {
    const changes = { name: body.name, redirectUris: body.redirect_uris, scopes: body.scope };
    const { application } = await this.commandBus.execute(new UpdateApplicationCommand(id, caller.profileId, actorOf(caller), changes, 'completed'));
    return {
      id: application!.applicationId,
      name: application!.name,
      client_id: application!.clientId,
      client_type: application!.clientType,
      redirect_uris: application!.redirectUris,
      scope: application!.scopes.join(' '),
    };
  }
}
