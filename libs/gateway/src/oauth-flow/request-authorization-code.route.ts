import { Controller, Get, HttpCode, HttpStatus, Query, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Expose, Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { ErrorCodes, grantStreamId, type RequestAuthorizationCode } from '@platform/contracts';
import { CommandDispatcher } from '../commands/command-dispatcher';
import { accepted } from '../http/accepted';
import { CallerGuard } from '../http/caller';
import { ApiError } from '../http/errors';
import { Principal, type ProfilePrincipal, sha256 } from '../http/profile-auth';
import { ApplicationsRepository } from '../oauth-app/applications.repository';
import { scopeList } from '../oauth-app/redirect-uri';
import { grantApplicationOf } from '../oauth/token-issuer';

export class RequestAuthorizationCodeDto {
  @ApiProperty()
  @IsString()
  @Length(1, 128)
  client_id!: string;

  @ApiProperty({ description: 'Single use per application' })
  @IsString()
  @Length(8, 256)
  nonce!: string;

  @ApiPropertyOptional({ name: 'scope[]', type: [String], description: 'Repeated; within the application’s scopes' })
  @Expose({ name: 'scope[]' })
  @IsOptional()
  @Transform(scopeList)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  scopes?: string[];

  @ApiPropertyOptional({ description: 'Alternative to scope[]: space- or comma-separated' })
  @IsOptional()
  @Transform(scopeList)
  @IsArray()
  @IsString({ each: true })
  scope?: string[];
}

/**
 * The profile authorizes an application: the command records the request (scopes within the
 * application's, nonce single-use); the application then retrieves the code with its credentials.
 */
@ApiTags('oauth-application')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
export class RequestAuthorizationCodeRoute {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly dispatcher: CommandDispatcher,
  ) {}

  @Get('oauth-application-request-authorization-code')
  @HttpCode(202)
  @UseGuards(CallerGuard)
  @ApiAcceptedResponse({ description: '`{"commandId"}`: the id to retrieve the code with' })
  async request(@Principal() principal: ProfilePrincipal, @Query() query: RequestAuthorizationCodeDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const application = await this.applications.byClientId(query.client_id);
    if (!application || application.status !== 'active') {
      throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.oauthApplicationNotFound, 'Unknown or revoked client_id.');
    }
    const grantId = this.dispatcher.newCommandId();
    const command: RequestAuthorizationCode = {
      type: 'RequestAuthorizationCode',
      grantId,
      profileId: principal.profileId,
      application: grantApplicationOf(application),
      nonceHash: sha256(query.nonce),
      scopes: [...(query.scopes ?? []), ...(query.scope ?? [])],
    };
    await this.dispatcher.dispatch({ context: 'token', streamId: grantStreamId(grantId), command, commandId: grantId, actor: { profileId: principal.profileId } });
    return accepted(reply, grantId);
  }
}
