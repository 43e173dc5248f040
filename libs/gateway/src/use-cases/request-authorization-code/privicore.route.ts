import { Controller, Get, HttpCode, HttpStatus, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Expose, Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length } from 'class-validator';
import { ErrorCodes } from '@platform/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accepted } from '../../http/accepted';
import { ApiError } from '../../http/errors';
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
  @ArrayMinSize(1, { message: 'scope[] names no scope: leave it out for all of the application’s scopes' })
  @ArrayMaxSize(20)
  @IsString({ each: true })
  scopes?: string[];

  @ApiPropertyOptional({ description: 'Alternative to scope[]: space- or comma-separated' })
  @IsOptional()
  @Transform(scopeList)
  @IsArray()
  @ArrayMinSize(1, { message: 'scope names no scope: leave it out for all of the application’s scopes' })
  @IsString({ each: true })
  scope?: string[];
}

/** `scope[0]=…` or `scope[a]=…` is not `scope[]`: stripped as unknown, it would leave the request with every scope of the application. */
const misnamedScopeParameter = (query: unknown): string | undefined =>
  Object.keys(query && typeof query === 'object' ? query : {}).find((key) => key.startsWith('scope') && key !== 'scope' && key !== 'scope[]');

@ApiTags('oauth-application')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
export class RequestAuthorizationCodeRoute {
  constructor(private readonly commandBus: CommandBus) {}

  @Get('oauth-application-request-authorization-code')
  @HttpCode(202)
  @UseGuards(CallerGuard)
  @ApiAcceptedResponse({ description: '`{"commandId"}`: the id to retrieve the code with' })
  async request(
    @Principal() principal: ProfilePrincipal,
    @Query() query: RequestAuthorizationCodeDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const misnamed = misnamedScopeParameter(request.query);
    if (misnamed) throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.validation, `${misnamed.slice(0, 40)}: unknown parameter; repeat scope[] for each scope`);
    const command = new RequestAuthorizationCodeCommand(principal.profileId, query.client_id, query.nonce, [...(query.scopes ?? []), ...(query.scope ?? [])]);
    return accepted(reply, await this.commandBus.execute(command));
  }
}
