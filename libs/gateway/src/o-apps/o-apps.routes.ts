import { type ArgumentsHost, Body, Catch, Controller, Delete, type ExceptionFilter, Get, HttpCode, HttpStatus, Param, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { type DeleteOAuthApplication, ErrorCodes, oauthApplicationStreamId, type RegisterOAuthApplication, type RevealClientCredentials } from '@platform/contracts';
import { CommandDispatcher } from '../commands/command-dispatcher';
import { CommandRunner } from '../commands/command-runner';
import { answerError } from '../http/all-exceptions.filter';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../http/caller';
import { ApiError } from '../http/errors';
import { sha256 } from '../http/profile-auth';
import { ApplicationsRepository } from '../oauth-app/applications.repository';
import { ACCESS_TOKEN_TTL, newClientId, REFRESH_TOKEN_TTL } from '../oauth-app/register-oauth-application.route';

export class CreateAppDto {
  @ApiProperty({ maxLength: 100, example: 'My integration' })
  @IsString()
  @Length(1, 100)
  name!: string;
}

/** `/o/apps/` errors: `{"error":{"code","message","details"}}`. */
@Catch()
export class EnvelopeErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    answerError(exception, host, 'envelope');
  }
}

/** The seed API: list, create (synchronously, with its secret) and delete applications. */
@ApiTags('o/apps')
@ApiBearerAuth()
@Controller('o/apps')
@UseGuards(CallerGuard)
@UseFilters(EnvelopeErrorFilter)
export class OAppsRoutes {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly dispatcher: CommandDispatcher,
    private readonly commands: CommandRunner,
  ) {}

  @Get()
  @Access({ scope: 'oauth-app:read' })
  @ApiOkResponse({ description: 'A bare array of `{id,name,client_id,client_type}`' })
  async list(@CurrentCaller() caller: Caller) {
    return (await this.applications.listFor(caller.profileId))
      .filter((application) => application.status === 'active')
      .map((application) => ({ id: application.applicationId, name: application.name, client_id: application.clientId, client_type: application.clientType }));
  }

  @Post()
  @HttpCode(201)
  @Access({ scope: 'oauth-app:write' })
  @ApiCreatedResponse({ description: '`{"id","client_id","client_secret"}`: confidential, scopes `read write`, no redirect URI yet' })
  async create(@CurrentCaller() caller: Caller, @Body() body: CreateAppDto) {
    const applicationId = this.dispatcher.newCommandId();
    const stream = oauthApplicationStreamId(applicationId);
    const register: RegisterOAuthApplication = {
      type: 'RegisterOAuthApplication',
      applicationId,
      profileId: caller.profileId,
      name: body.name,
      clientId: newClientId(),
      clientType: 'confidential',
      redirectUris: [],
      scopes: ['read', 'write'],
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL.default,
      refreshTokenTtlSeconds: REFRESH_TOKEN_TTL.default,
    };
    const registered = await this.commands.run({ context: 'oauth-app', streamId: stream, command: register, commandId: applicationId, actor: actorOf(caller) });
    if (registered.status !== 'succeeded') throw new ApiError(HttpStatus.CONFLICT, registered.reason ?? ErrorCodes.internal, 'The application could not be created.');
    const secret = randomBytes(32).toString('base64url');
    const reveal: RevealClientCredentials = { type: 'RevealClientCredentials', applicationId, profileId: caller.profileId, clientSecretHash: sha256(secret) };
    const revealed = await this.commands.run({ context: 'oauth-app', streamId: stream, command: reveal, actor: actorOf(caller) });
    if (revealed.status !== 'succeeded') throw new ApiError(HttpStatus.CONFLICT, revealed.reason ?? ErrorCodes.internal, 'The credentials could not be created.');
    return { id: applicationId, client_id: register.clientId, client_secret: secret };
  }

  @Delete(':id')
  @HttpCode(204)
  @Access({ scope: 'oauth-app:write' })
  @ApiNoContentResponse({ description: 'Deleted; every token of the application is inactive at once' })
  async remove(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    await this.applications.owned(id, caller.profileId);
    const command: DeleteOAuthApplication = { type: 'DeleteOAuthApplication', applicationId: id, profileId: caller.profileId };
    const outcome = await this.commands.run({ context: 'oauth-app', streamId: oauthApplicationStreamId(id), command, actor: actorOf(caller) });
    if (outcome.status !== 'succeeded') throw new ApiError(HttpStatus.NOT_FOUND, ErrorCodes.notFound, 'No such application.');
  }
}
