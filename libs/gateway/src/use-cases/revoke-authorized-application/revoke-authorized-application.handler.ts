import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { grantStreamId, type RevokeGrantByResourceOwner } from '@platform/contracts';
import { PG_POOL } from '@platform/service-runtime';
import { CommandDispatcher } from '../../commands/command-dispatcher';
import { CommandRunner } from '../../commands/command-runner';
import { GATEWAY_SCHEMA } from '../../gateway.options';
import { notFound } from '../../http/errors';
import { RevokeAuthorizedApplicationCommand } from './revoke-authorized-application.command';

/**
 * A grant of another profile is as unknown as a grant that does not exist (and the decider refuses it
 * too). Revoking by application revokes each grant; all but the last are awaited, so the command id
 * answered reaches `succeeded` only once every grant's tokens are refused.
 */
@CommandHandler(RevokeAuthorizedApplicationCommand)
export class RevokeAuthorizedApplicationHandler implements ICommandHandler<RevokeAuthorizedApplicationCommand> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    private readonly dispatcher: CommandDispatcher,
    private readonly runner: CommandRunner,
  ) {}

  async execute({ profileId, target, actor }: RevokeAuthorizedApplicationCommand): Promise<string> {
    const grantIds = await this.grantsOf(profileId, target);
    if (grantIds.length === 0) throw notFound('No such authorized application.');
    const dispatch = (grantId: string) => {
      const command: RevokeGrantByResourceOwner = { type: 'RevokeGrantByResourceOwner', grantId, profileId };
      return { context: 'token' as const, streamId: grantStreamId(grantId), command, actor };
    };
    for (const grantId of grantIds.slice(0, -1)) await this.runner.run(dispatch(grantId));
    return this.dispatcher.dispatch(dispatch(grantIds[grantIds.length - 1]));
  }

  private async grantsOf(profileId: string, target: RevokeAuthorizedApplicationCommand['target']): Promise<string[]> {
    const [column, value] = 'grantId' in target ? ['grant_id', target.grantId] : ['application_id', target.applicationId];
    const { rows } = await this.pool.query(
      `SELECT grant_id FROM "${this.schema}".grants WHERE ${column} = $1 AND profile_id = $2 AND ($3 OR status <> 'revoked') ORDER BY grant_id`,
      [value, profileId, column === 'grant_id'],
    );
    return rows.map((row) => row.grant_id as string);
  }
}
