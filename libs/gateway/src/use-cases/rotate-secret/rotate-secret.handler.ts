import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { oauthApplicationStreamId, type RotateClientSecret } from '@platform/contracts';
import { refusedWith, succeededOrRefused } from '../../commands/command-refused';
import { CommandRunner } from '../../commands/command-runner';
import { isoWithOffset } from '../../http/time';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { RevealCredentialsCommand } from '../reveal-credentials/reveal-credentials.command';
import { RotateSecretCommand, type RotatedSecret } from './rotate-secret.command';

/** The rotation (the current secret becomes the previous one), then the reveal that makes the new one. */
@CommandHandler(RotateSecretCommand)
export class RotateSecretHandler implements ICommandHandler<RotateSecretCommand> {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly commands: CommandRunner,
    private readonly commandBus: CommandBus,
  ) {}

  async execute({ applicationId, profileId, actor, graceSeconds }: RotateSecretCommand): Promise<RotatedSecret> {
    await this.applications.owned(applicationId, profileId);
    const rotate: RotateClientSecret = { type: 'RotateClientSecret', applicationId, profileId, graceSeconds };
    const outcome = await this.commands.run({ context: 'oauth-app', streamId: oauthApplicationStreamId(applicationId), command: rotate, actor });
    succeededOrRefused(outcome, 'The secret could not be rotated.');
    const { previousSecretExpiresAt } = await this.applications.owned(applicationId, profileId);
    const { clientSecret } = await this.commandBus
      .execute(new RevealCredentialsCommand(applicationId, profileId, actor))
      .catch(refusedWith('The new secret could not be created.'));
    return { clientSecret, previousSecretExpiresAt: previousSecretExpiresAt && isoWithOffset(previousSecretExpiresAt) };
  }
}
