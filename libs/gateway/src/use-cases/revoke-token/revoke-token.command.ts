import { Command } from '@nestjs/cqrs';
import type { LocatedToken } from '../../oauth/token-locator';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';

/** RFC 7009: the client revokes one of its tokens; either kind revokes the grant, so the whole family. */
export class RevokeTokenCommand extends Command<void> {
  constructor(
    readonly client: OAuthApplicationRow,
    readonly token: string,
  ) {
    super();
  }
}

/** Another client's token, an unknown one or a grant already revoked: nothing to do, and the answer is the same. */
export const revocable = (located: LocatedToken | undefined, client: OAuthApplicationRow): located is LocatedToken =>
  located !== undefined && located.grant.clientId === client.clientId && located.grant.status !== 'revoked';
