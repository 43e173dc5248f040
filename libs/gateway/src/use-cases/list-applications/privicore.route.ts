import { Controller, Get, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access, type Caller, CallerGuard, CurrentCaller } from '../../http/caller';
import { isoWithOffset } from '../../http/time';
import { ListApplicationsQuery } from './list-applications.query';

@ApiTags('oauth-application')
@ApiBearerAuth()
@Controller('profile')
@UseGuards(CallerGuard)
export class ListOAuthApplicationsRoute {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('retrieve-oauth-application-list')
  @Access({ scope: 'oauth-app:read' })
  @ApiOkResponse({ description: "The profile's applications, never a secret" })
  async list(@CurrentCaller() caller: Caller) {
    return (await this.queryBus.execute(new ListApplicationsQuery(caller.profileId))).map((application) => ({
      applicationId: application.applicationId,
      name: application.name,
      clientId: application.clientId,
      clientType: application.clientType,
      redirectUris: application.redirectUris,
      scopes: application.scopes,
      status: application.status,
      createdAt: isoWithOffset(application.createdAt),
    }));
  }
}
