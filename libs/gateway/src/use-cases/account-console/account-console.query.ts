import { Query } from '@nestjs/cqrs';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';
import type { AuthorizedApplication } from '../list-authorized-applications/list-authorized-applications.query';
import type { AuditFilterDto } from './audit-filter';

export interface AuditLine {
  at: string;
  applicationId: string;
  kind: 'call' | 'change';
  what: string;
  detail: Record<string, unknown>;
}

export interface AccountView {
  applications: (OAuthApplicationRow & { callsPerDay: { day: string; calls: number }[] })[];
  authorized: AuthorizedApplication[];
  audit: AuditLine[];
}

export const USAGE_DAYS = 14;
export const AUDIT_LIMIT = 500;

/** Everything the console shows a profile: its applications with usage per day, its grants, and the filtered audit trail. */
export class AccountConsoleQuery extends Query<AccountView> {
  constructor(
    readonly profileId: string,
    readonly filter: AuditFilterDto,
  ) {
    super();
  }
}
