import { Controller, Get, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { ListAuthorizedApplicationsQuery } from './list-authorized-applications.query';

/** Only the profile's own token (no `@Access`): an application may not list its peers. */
@ApiTags('profile')
@ApiHeader({ name: 'X-DPT-AUTHORIZATION', required: true })
@Controller('profile')
@UseGuards(CallerGuard)
export class ListAuthorizedApplicationsRoute {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('authorized-applications')
  @ApiOkResponse({ description: '`[{"grantId","applicationId","clientId","name","scopes","grantedAt","lastUsedAt"}]`' })
  list(@CurrentCaller() caller: Caller) {
    return this.queryBus.execute(new ListAuthorizedApplicationsQuery(caller.profileId));
  }
}
