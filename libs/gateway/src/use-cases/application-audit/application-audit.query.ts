import { Query } from '@nestjs/cqrs';

export interface AuditPage {
  items: Record<string, unknown>[];
  nextCursor: string | null;
}

/** One page of an application's audit trail, oldest first; `cursor` is the previous page's `nextCursor`. */
export class ApplicationAuditQuery extends Query<AuditPage> {
  constructor(
    readonly applicationId: string,
    readonly profileId: string,
    readonly cursor?: string,
  ) {
    super();
  }
}
