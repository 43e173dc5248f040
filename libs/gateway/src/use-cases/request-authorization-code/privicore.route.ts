import { Controller, Get, HttpCode, Query, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Expose, Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { accepted } from '../../http/accepted';
import { CallerGuard } from '../../http/caller';
import { Principal, type ProfilePrincipal } from '../../http/profile-auth';
import { scopeList } from '../../oauth-app/redirect-uri';
import { RequestAuthorizationCodeCommand } from './request-authorization-code.command';

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

@ApiTags('oauth-application')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
export class RequestAuthorizationCodeRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Get('oauth-application-request-authorization-code')
  @HttpCode(202)
  @UseGuards(CallerGuard)
  @ApiAcceptedResponse({ description: '`{"commandId"}`: the id to retrieve the code with' })
  async request(@Principal() principal: ProfilePrincipal, @Query() query: RequestAuthorizationCodeDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const command = new RequestAuthorizationCodeCommand(principal.profileId, query.client_id, query.nonce, [...(query.scopes ?? []), ...(query.scope ?? [])]);
    return accepted(reply, await this.commandBus.execute(command));
  }
}
