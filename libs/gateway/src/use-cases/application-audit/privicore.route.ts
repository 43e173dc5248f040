import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { Access, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { ApplicationIdDto } from '../../oauth-app/application-id.dto';
import { ApplicationAuditQuery } from './application-audit.query';

export class AuditQueryDto extends ApplicationIdDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

@ApiTags('oauth-application')
@ApiBearerAuth()
@Controller('profile')
@UseGuards(CallerGuard)
export class ApplicationAuditRoute {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('oauth-application-audit')
  @Access({ scope: 'oauth-app:read' })
  @ApiOkResponse({ description: '`{"items":[…],"nextCursor"}`: calls made with its tokens and changes to it, oldest first' })
  auditTrail(@CurrentCaller() caller: Caller, @Query() query: AuditQueryDto) {
    return this.queryBus.execute(new ApplicationAuditQuery(query.applicationId, caller.profileId, query.cursor));
  }
}
