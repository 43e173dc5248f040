import { Body, Controller, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { refusedWith } from '../../commands/command-refused';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { EnvelopeErrorFilter } from '../../http/envelope-error.filter';
import { RevealCredentialsCommand } from '../reveal-credentials/reveal-credentials.command';
import { RegisterApplicationCommand } from './register-application.command';
import { CreateAppDto } from './register-application.dto';

/** The seed API creates synchronously and answers with the secret: a registration, then a reveal. */
@ApiTags('o/apps')
@ApiBearerAuth()
@Controller('o/apps')
@UseGuards(CallerGuard)
@UseFilters(EnvelopeErrorFilter)
export class OAppsCreateRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Access({ scope: 'oauth-app:write' })
  @ApiCreatedResponse({ description: '`{"id","client_id","client_secret"}`: confidential, scopes `read write`, no redirect URI yet' })
  async create(@CurrentCaller() caller: Caller, @Body() body: CreateAppDto) {
    const actor = actorOf(caller);
    const registration = { name: body.name, clientType: 'confidential' as const, redirectUris: [], scopes: ['read', 'write'] };
    const registered = await this.commandBus.execute(new RegisterApplicationCommand(caller.profileId, actor, registration, 'completed'));
    const { clientSecret } = await this.commandBus
      .execute(new RevealCredentialsCommand(registered.applicationId, caller.profileId, actor, registered))
      .catch(refusedWith('The credentials could not be created.'));
    return { id: registered.applicationId, client_id: registered.clientId, client_secret: clientSecret };
  }
}
