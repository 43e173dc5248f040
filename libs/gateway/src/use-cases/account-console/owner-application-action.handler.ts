import { HttpStatus } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { ErrorCodes, type OAuthApplicationCommand, oauthApplicationStreamId } from '@platform/contracts';
import { CommandRunner } from '../../commands/command-runner';
import { ApiError } from '../../http/errors';
import { sha256 } from '../../http/profile-auth';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { OwnerApplicationActionCommand } from './owner-application-action.command';

const COMMAND_TYPES = { 'rotate-secret': 'RotateClientSecret', revoke: 'RevokeOAuthApplication', delete: 'DeleteOAuthApplication' } as const;

@CommandHandler(OwnerApplicationActionCommand)
export class OwnerApplicationActionHandler implements ICommandHandler<OwnerApplicationActionCommand> {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly commands: CommandRunner,
  ) {}

  async execute({ action, applicationId, profileId, actor }: OwnerApplicationActionCommand): Promise<{ clientSecret?: string | null }> {
    const application = await this.applications.owned(applicationId, profileId);
    await this.run({ type: COMMAND_TYPES[action], applicationId, profileId }, actor);
    if (action !== 'rotate-secret' || application.clientType === 'public') return {};
    // The rotated secret is made when it is read, as the configuration route does: only its hash is recorded.
    const clientSecret = randomBytes(32).toString('base64url');
    await this.run({ type: 'RevealClientCredentials', applicationId, profileId, clientSecretHash: sha256(clientSecret) }, actor);
    return { clientSecret };
  }

  private async run(command: OAuthApplicationCommand, actor: OwnerApplicationActionCommand['actor']) {
    const outcome = await this.commands.run({ context: 'oauth-app', streamId: oauthApplicationStreamId(command.applicationId), command, actor });
    if (outcome.status !== 'succeeded') throw new ApiError(HttpStatus.CONFLICT, outcome.reason ?? ErrorCodes.internal, 'The application cannot be changed now.');
  }
}
