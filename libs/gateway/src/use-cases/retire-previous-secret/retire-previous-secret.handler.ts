import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { oauthApplicationStreamId, type RetirePreviousClientSecret } from '@platform/contracts';
import { CommandDispatcher } from '../../commands/command-dispatcher';
import { succeededOrRefused } from '../../commands/command-refused';
import { CommandRunner } from '../../commands/command-runner';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { RetirePreviousSecretCommand } from './retire-previous-secret.command';

@CommandHandler(RetirePreviousSecretCommand)
export class RetirePreviousSecretHandler implements ICommandHandler<RetirePreviousSecretCommand> {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly dispatcher: CommandDispatcher,
    private readonly commands: CommandRunner,
  ) {}

  async execute({ applicationId, profileId, actor, completion }: RetirePreviousSecretCommand): Promise<{ commandId: string }> {
    await this.applications.owned(applicationId, profileId);
    const command: RetirePreviousClientSecret = { type: 'RetirePreviousClientSecret', applicationId, profileId };
    const request = { context: 'oauth-app' as const, streamId: oauthApplicationStreamId(applicationId), command, actor };
    if (completion === 'accepted') return { commandId: await this.dispatcher.dispatch(request) };
    return { commandId: succeededOrRefused(await this.commands.run(request), 'The previous secret could not be retired.').commandId };
  }
}
