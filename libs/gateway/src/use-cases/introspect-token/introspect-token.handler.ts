import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { type LocatedToken, TokenLocator } from '../../oauth/token-locator';
import { IntrospectTokenQuery, visibleTo } from './introspect-token.query';

@QueryHandler(IntrospectTokenQuery)
export class IntrospectTokenHandler implements IQueryHandler<IntrospectTokenQuery> {
  constructor(
    private readonly tokens: TokenLocator,
    private readonly applications: ApplicationsRepository,
  ) {}

  async execute({ token, viewer }: IntrospectTokenQuery): Promise<LocatedToken | undefined> {
    const located = await this.tokens.locate(token);
    if (!located?.active) return undefined;
    const needsOwner = viewer !== undefined && located.grant.clientId !== viewer.clientId;
    const owner = needsOwner ? (await this.applications.byId(located.grant.applicationId))?.profileId : undefined;
    return visibleTo(viewer, located.grant, owner) ? located : undefined;
  }
}
