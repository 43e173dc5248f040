import { Controller, Delete, HttpCode, Param, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { EnvelopeErrorFilter } from '../../http/envelope-error.filter';
import { DeleteApplicationCommand } from './delete-application.command';

@ApiTags('o/apps')
@ApiBearerAuth()
@Controller('o/apps')
@UseGuards(CallerGuard)
@UseFilters(EnvelopeErrorFilter)
export class OAppsDeleteRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':id')
  @HttpCode(204)
  @Access({ scope: 'oauth-app:write' })
  @ApiNoContentResponse({ description: 'Deleted; every token of the application is inactive at once' })
  async remove(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    await this.commandBus.execute(new DeleteApplicationCommand(id, caller.profileId, actorOf(caller)));
  }
}
