import { Query } from '@nestjs/cqrs';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';

/** The profile's applications, oldest first; never a deleted one, and only active ones when asked. */
export class ListApplicationsQuery extends Query<OAuthApplicationRow[]> {
  constructor(
    readonly profileId: string,
    readonly activeOnly = false,
  ) {
    super();
  }
}
