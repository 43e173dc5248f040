import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { oauthApplicationStreamId, type UpdateOAuthApplication } from '@platform/contracts';
import { CommandDispatcher } from '../../commands/command-dispatcher';
import { succeededOrRefused } from '../../commands/command-refused';
import { CommandRunner } from '../../commands/command-runner';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { applicationChanges, UpdateApplicationCommand, type UpdatedApplication } from './update-application.command';

/** The read model has applied the update when the command succeeds, so the answer reads it back. */
@CommandHandler(UpdateApplicationCommand)
export class UpdateApplicationHandler implements ICommandHandler<UpdateApplicationCommand> {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly dispatcher: CommandDispatcher,
    private readonly commands: CommandRunner,
  ) {}

  async execute({ applicationId, profileId, actor, changes, completion }: UpdateApplicationCommand): Promise<UpdatedApplication> {
    const command: UpdateOAuthApplication = { type: 'UpdateOAuthApplication', applicationId, profileId, changes: applicationChanges(changes) };
    await this.applications.owned(applicationId, profileId);
    const request = { context: 'oauth-app' as const, streamId: oauthApplicationStreamId(applicationId), command, actor };
    if (completion === 'accepted') return { commandId: await this.dispatcher.dispatch(request) };
    const { commandId } = succeededOrRefused(await this.commands.run(request), 'The application could not be updated.');
    return { commandId, application: await this.applications.owned(applicationId, profileId) };
  }
}
