import { Query } from '@nestjs/cqrs';

export interface ApplicationUsage {
  applicationId: string;
  tokensIssued: number;
  tokensRefreshed: number;
  tokensRevoked: number;
  callsMade: number;
  lastUsedAt: Date | null;
}

/** Counts for one of the profile's applications, including the calls recorded until now. */
export class ApplicationUsageQuery extends Query<ApplicationUsage> {
  constructor(
    readonly applicationId: string,
    readonly profileId: string,
  ) {
    super();
  }
}
