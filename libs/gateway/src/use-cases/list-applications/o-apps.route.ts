import { Controller, Get, UseFilters, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { EnvelopeErrorFilter } from '../../http/envelope-error.filter';
import { ListApplicationsQuery } from './list-applications.query';

@ApiTags('o/apps')
@ApiBearerAuth()
@Controller('o/apps')
@UseGuards(CallerGuard)
@UseFilters(EnvelopeErrorFilter)
export class OAppsListRoute {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @Access({ scope: 'oauth-app:read' })
  @ApiOkResponse({ description: 'A bare array of `{id,name,client_id,client_type}`' })
  async list(@CurrentCaller() caller: Caller) {
    return (await this.queryBus.execute(new ListApplicationsQuery(caller.profileId, true))).map((application) => ({
      id: application.applicationId,
      name: application.name,
      client_id: application.clientId,
      client_type: application.clientType,
    }));
  }
}
