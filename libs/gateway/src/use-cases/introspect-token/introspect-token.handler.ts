import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { scopesWithin } from '@platform/contracts';
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
    const application = await this.applications.byId(located.grant.applicationId);
    if (!visibleTo(viewer, located.grant, application?.profileId)) return undefined;
    return { ...located, scopes: scopesWithin(located.scopes, application?.scopes ?? []) };
  }
}
