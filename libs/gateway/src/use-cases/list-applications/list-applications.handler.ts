import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';
import { ListApplicationsQuery } from './list-applications.query';

@QueryHandler(ListApplicationsQuery)
export class ListApplicationsHandler implements IQueryHandler<ListApplicationsQuery> {
  constructor(private readonly applications: ApplicationsRepository) {}

  async execute({ profileId, activeOnly }: ListApplicationsQuery): Promise<OAuthApplicationRow[]> {
    const applications = await this.applications.listFor(profileId);
    return activeOnly ? applications.filter((application) => application.status === 'active') : applications;
  }
}
