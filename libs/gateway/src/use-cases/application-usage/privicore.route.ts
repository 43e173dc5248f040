import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { isoWithOffset } from '../../http/time';
import { ApplicationIdDto } from '../../oauth-app/application-id.dto';
import { ApplicationUsageQuery } from './application-usage.query';

@ApiTags('oauth-application')
@ApiBearerAuth()
@Controller('profile')
@UseGuards(CallerGuard)
export class ApplicationUsageRoute {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('oauth-application-usage')
  @Access({ scope: 'oauth-app:read' })
  @ApiOkResponse({ description: '`{"applicationId","tokensIssued","tokensRefreshed","tokensRevoked","callsMade","lastUsedAt"}`' })
  async usage(@CurrentCaller() caller: Caller, @Query() query: ApplicationIdDto) {
    const usage = await this.queryBus.execute(new ApplicationUsageQuery(query.applicationId, caller.profileId));
    return { ...usage, lastUsedAt: usage.lastUsedAt ? isoWithOffset(usage.lastUsedAt) : null };
  }
}
