import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { type ClientType, oauthApplicationStreamId, type RegisterOAuthApplication, SCOPE_CATALOGUE } from '@platform/contracts';
import { CommandDispatcher } from '../commands/command-dispatcher';
import { accepted } from '../http/accepted';
import { Access, actorOf, type Caller, CallerGuard, CurrentCaller } from '../http/caller';
import { IsRedirectUri, listOf, scopeList } from './redirect-uri';

export const ACCESS_TOKEN_TTL = { default: 900, min: 60, max: 900 };
export const REFRESH_TOKEN_TTL = { default: 2_592_000, min: 60, max: 2_592_000 };

export class RegisterOAuthApplicationDto {
  @ApiProperty({ maxLength: 100, example: 'Photo printer' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ type: [String], description: 'One or more, repeated or comma-separated', example: ['https://printer.example/callback'] })
  @Transform(listOf)
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsRedirectUri({ each: true })
  redirectUri!: string[];

  @ApiProperty({ type: String, description: 'Comma-separated, from the catalogue', example: 'profile:read,oauth-app:read' })
  @Transform(scopeList)
  @ArrayMinSize(1)
  @IsIn(SCOPE_CATALOGUE, { each: true, message: `each scope must be one of ${SCOPE_CATALOGUE.join(', ')}` })
  scopes!: string[];

  @ApiPropertyOptional({ enum: ['confidential', 'public'], default: 'confidential' })
  @IsOptional()
  @IsIn(['confidential', 'public'])
  clientType?: ClientType;

  @ApiPropertyOptional({ minimum: ACCESS_TOKEN_TTL.min, maximum: ACCESS_TOKEN_TTL.max, default: ACCESS_TOKEN_TTL.default })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(ACCESS_TOKEN_TTL.min)
  @Max(ACCESS_TOKEN_TTL.max)
  accessTokenTtl?: number;

  @ApiPropertyOptional({ minimum: REFRESH_TOKEN_TTL.min, maximum: REFRESH_TOKEN_TTL.max, default: REFRESH_TOKEN_TTL.default })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(REFRESH_TOKEN_TTL.min)
  @Max(REFRESH_TOKEN_TTL.max)
  refreshTokenTtl?: number;
}

/** 32 URL-safe characters. */
export const newClientId = (): string => randomBytes(24).toString('base64url');

@ApiTags('oauth-application')
@ApiBearerAuth()
@Controller('profile')
export class RegisterOAuthApplicationRoute {
  constructor(private readonly dispatcher: CommandDispatcher) {}

  @Post('oauth-application-register')
  @HttpCode(202)
  @UseGuards(CallerGuard)
  @Access({ scope: 'oauth-app:write' })
  @ApiAcceptedResponse({ description: '`{"commandId"}`: the command id is the applicationId' })
  async register(@CurrentCaller() caller: Caller, @Body() body: RegisterOAuthApplicationDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const applicationId = this.dispatcher.newCommandId();
    const command: RegisterOAuthApplication = {
      type: 'RegisterOAuthApplication',
      applicationId,
      profileId: caller.profileId,
      name: body.name,
      clientId: newClientId(),
      clientType: body.clientType ?? 'confidential',
      redirectUris: [...new Set(body.redirectUri)],
      scopes: body.scopes,
      accessTokenTtlSeconds: body.accessTokenTtl ?? ACCESS_TOKEN_TTL.default,
      refreshTokenTtlSeconds: body.refreshTokenTtl ?? REFRESH_TOKEN_TTL.default,
    };
    await this.dispatcher.dispatch({
      context: 'oauth-app',
      streamId: oauthApplicationStreamId(applicationId),
      command,
      commandId: applicationId,
      actor: actorOf(caller),
    });
    return accepted(reply, applicationId);
  }
}
