import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { oauthApplicationStreamId, type RevokeOAuthApplication } from '@platform/contracts';
import { CommandDispatcher } from '../../commands/command-dispatcher';
import { RevokeApplicationCommand } from './revoke-application.command';

/** Ownership is the decider's to check: the command is rejected for another profile's application. */
@CommandHandler(RevokeApplicationCommand)
export class RevokeApplicationHandler implements ICommandHandler<RevokeApplicationCommand> {
  constructor(private readonly dispatcher: CommandDispatcher) {}

  execute({ applicationId, profileId, actor }: RevokeApplicationCommand): Promise<string> {
    const command: RevokeOAuthApplication = { type: 'RevokeOAuthApplication', applicationId, profileId };
    return this.dispatcher.dispatch({ context: 'oauth-app', streamId: oauthApplicationStreamId(applicationId), command, actor });
  }
}
