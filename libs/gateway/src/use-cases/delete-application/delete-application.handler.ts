import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type DeleteOAuthApplication, oauthApplicationStreamId } from '@platform/contracts';
import { CommandRunner } from '../../commands/command-runner';
import { notFound } from '../../http/errors';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { DeleteApplicationCommand } from './delete-application.command';

@CommandHandler(DeleteApplicationCommand)
export class DeleteApplicationHandler implements ICommandHandler<DeleteApplicationCommand> {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly commands: CommandRunner,
  ) {}

  async execute({ applicationId, profileId, actor }: DeleteApplicationCommand): Promise<void> {
    await this.applications.owned(applicationId, profileId);
    const command: DeleteOAuthApplication = { type: 'DeleteOAuthApplication', applicationId, profileId };
    const outcome = await this.commands.run({ context: 'oauth-app', streamId: oauthApplicationStreamId(applicationId), command, actor });
    if (outcome.status !== 'succeeded') throw notFound('No such application.');
  }
}
