import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ErrorCodes, oauthApplicationStreamId, type RevealClientCredentials } from '@platform/contracts';
import { succeededOrRefused } from '../../commands/command-refused';
import { CommandRunner } from '../../commands/command-runner';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { alreadyRevealed, newClientSecret, RevealCredentialsCommand, type RevealedCredentials } from './reveal-credentials.command';

@CommandHandler(RevealCredentialsCommand)
export class RevealCredentialsHandler implements ICommandHandler<RevealCredentialsCommand> {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly commands: CommandRunner,
  ) {}

  async execute({ applicationId, profileId, actor, justRegistered }: RevealCredentialsCommand): Promise<RevealedCredentials> {
    const application = justRegistered ? undefined : await this.applications.owned(applicationId, profileId);
    if (application?.credentialsRevealed) throw alreadyRevealed();
    const { clientSecret, clientSecretHash } = newClientSecret(application?.clientType ?? justRegistered!.clientType);
    const command: RevealClientCredentials = { type: 'RevealClientCredentials', applicationId, profileId, clientSecretHash };
    const outcome = await this.commands.run({ context: 'oauth-app', streamId: oauthApplicationStreamId(applicationId), command, actor });
    if (outcome.reason === ErrorCodes.oauthAlreadyRetrieved) throw alreadyRevealed();
    succeededOrRefused(outcome, 'The credentials cannot be read now.');
    return { application, clientSecret };
  }
}
