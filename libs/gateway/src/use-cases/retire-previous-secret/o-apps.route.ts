import { Controller, Delete, HttpCode, Param, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { EnvelopeErrorFilter } from '../../http/envelope-error.filter';
import { RetirePreviousSecretCommand } from './retire-previous-secret.command';

@ApiTags('o/apps')
@ApiBearerAuth()
@Controller('o/apps')
@UseGuards(CallerGuard)
@UseFilters(EnvelopeErrorFilter)
export class OAppsRetirePreviousSecretRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':id/secret/previous')
  @HttpCode(204)
  @Access({ scope: 'oauth-app:write' })
  @ApiNoContentResponse({ description: 'The previous secret is refused from now on' })
  async retire(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    await this.commandBus.execute(new RetirePreviousSecretCommand(id, caller.profileId, actorOf(caller), 'completed'));
  }
}
