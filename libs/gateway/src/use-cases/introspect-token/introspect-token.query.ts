import { Query } from '@nestjs/cqrs';
import type { LocatedToken } from '../../oauth/token-locator';
import type { GrantRow } from '../../read-models/grants.projection';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';

/**
 * An active token, as `viewer` may see it: RFC 7662 asks with the client's credentials (its own
 * tokens or those of another application of its owner); the Privicore scope route asks as the
 * token's holder (no viewer). Undefined is "inactive", whatever the reason. The scopes are narrowed
 * to what the application may still do (empty when every one was removed).
 */
export class IntrospectTokenQuery extends Query<LocatedToken | undefined> {
  constructor(
    readonly token: string,
    readonly viewer?: OAuthApplicationRow,
  ) {
    super();
  }
}

/** `owner` is the profile owning the grant's application. */
export const visibleTo = (viewer: OAuthApplicationRow | undefined, grant: GrantRow, owner: string | undefined): boolean =>
  !viewer || grant.clientId === viewer.clientId || owner === viewer.profileId;
