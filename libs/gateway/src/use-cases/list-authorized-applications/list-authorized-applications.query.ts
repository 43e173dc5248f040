import { Query } from '@nestjs/cqrs';

export interface AuthorizedApplication {
  grantId: string;
  applicationId: string;
  clientId: string;
  name: string;
  scopes: string[];
  grantedAt: string;
  lastUsedAt: string | null;
}

/** Every live grant in which the profile is the resource owner, whoever owns the application; newest first. */
export class ListAuthorizedApplicationsQuery extends Query<AuthorizedApplication[]> {
  constructor(readonly profileId: string) {
    super();
  }
}
