import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { oauthApplicationStreamId, type RevealClientCredentials, type RotateClientSecret } from '@platform/contracts';
import { succeededOrRefused } from '../../commands/command-refused';
import { CommandRunner } from '../../commands/command-runner';
import { sha256 } from '../../http/profile-auth';
import { isoWithOffset } from '../../http/time';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { RotateSecretCommand, type RotatedSecret } from './rotate-secret.command';

/** Two commands: the rotation (the current secret becomes the previous one), then the reveal that makes the new one. */
@CommandHandler(RotateSecretCommand)
export class RotateSecretHandler implements ICommandHandler<RotateSecretCommand> {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly commands: CommandRunner,
  ) {}

  async execute({ applicationId, profileId, actor, graceSeconds }: RotateSecretCommand): Promise<RotatedSecret> {
    const application = await this.applications.owned(applicationId, profileId);
    const streamId = oauthApplicationStreamId(applicationId);
    const rotate: RotateClientSecret = { type: 'RotateClientSecret', applicationId, profileId, graceSeconds };
    succeededOrRefused(await this.commands.run({ context: 'oauth-app', streamId, command: rotate, actor }), 'The secret could not be rotated.');
    const rotated = await this.applications.owned(applicationId, profileId);
    const clientSecret = application.clientType === 'public' ? null : randomBytes(32).toString('base64url');
    const reveal: RevealClientCredentials = { type: 'RevealClientCredentials', applicationId, profileId, clientSecretHash: clientSecret && sha256(clientSecret) };
    succeededOrRefused(await this.commands.run({ context: 'oauth-app', streamId, command: reveal, actor }), 'The new secret could not be created.');
    return { clientSecret, previousSecretExpiresAt: rotated.previousSecretExpiresAt && isoWithOffset(rotated.previousSecretExpiresAt) };
  }
}
