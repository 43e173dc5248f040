import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiProperty, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { ErrorCodes, oauthApplicationStreamId, type RevealClientCredentials } from '@platform/contracts';
import { CommandRunner } from '../commands/command-runner';
import { CallerGuard } from '../http/caller';
import { ApiError } from '../http/errors';
import { Principal, type ProfilePrincipal, sha256 } from '../http/profile-auth';
import { isoWithOffset } from '../http/time';
import { ApplicationsRepository } from './applications.repository';

export class ApplicationIdDto {
  @ApiProperty()
  @IsString()
  @Length(1, 64)
  applicationId!: string;
}

const alreadyRetrieved = () =>
  new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, ErrorCodes.oauthAlreadyRetrieved, 'The credentials were already retrieved; rotate the secret to read a new one.');

/**
 * The owner reads the client credentials once. The secret is created at that moment (256 random
 * bits, URL-safe) and only its SHA-256 is recorded, so no copy of it exists anywhere afterwards.
 */
@ApiTags('oauth-application')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
export class ApplicationConfigurationRoute {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly commands: CommandRunner,
  ) {}

  @Post('retrieve-oauth-application-configuration')
  @HttpCode(200)
  @UseGuards(CallerGuard)
  @ApiOkResponse({ description: '`{"applicationId","clientId","clientSecret","name","redirectUris","scopes",…}`, once' })
  @ApiUnprocessableEntityResponse({ description: '`{"error":"oauth.already_retrieved"}`' })
  async retrieve(@Principal() principal: ProfilePrincipal, @Body() body: ApplicationIdDto) {
    const application = await this.applications.owned(body.applicationId, principal.profileId);
    if (application.credentialsRevealed) throw alreadyRetrieved();
    const clientSecret = application.clientType === 'public' ? null : randomBytes(32).toString('base64url');
    const command: RevealClientCredentials = {
      type: 'RevealClientCredentials',
      applicationId: application.applicationId,
      profileId: principal.profileId,
      clientSecretHash: clientSecret && sha256(clientSecret),
    };
    const outcome = await this.commands.run({
      context: 'oauth-app',
      streamId: oauthApplicationStreamId(application.applicationId),
      command,
      actor: { profileId: principal.profileId },
    });
    if (outcome.reason === ErrorCodes.oauthAlreadyRetrieved) throw alreadyRetrieved();
    if (outcome.status !== 'succeeded') throw new ApiError(HttpStatus.CONFLICT, outcome.reason ?? ErrorCodes.internal, 'The credentials cannot be read now.');
    return {
      applicationId: application.applicationId,
      clientId: application.clientId,
      clientSecret,
      clientType: application.clientType,
      name: application.name,
      redirectUris: application.redirectUris,
      scopes: application.scopes,
      accessTokenTtl: application.accessTokenTtlSeconds,
      refreshTokenTtl: application.refreshTokenTtlSeconds,
      status: application.status,
      createdAt: isoWithOffset(application.createdAt),
    };
  }
}
