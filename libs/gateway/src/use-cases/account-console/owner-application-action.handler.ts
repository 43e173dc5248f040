import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { oauthApplicationStreamId, type RevokeOAuthApplication } from '@platform/contracts';
import { succeededOrRefused } from '../../commands/command-refused';
import { CommandRunner } from '../../commands/command-runner';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { DeleteApplicationCommand } from '../delete-application/delete-application.command';
import { RetirePreviousSecretCommand } from '../retire-previous-secret/retire-previous-secret.command';
import { RotateSecretCommand } from '../rotate-secret/rotate-secret.command';
import { OwnerApplicationActionCommand } from './owner-application-action.command';

/** The grace the API gives a rotated secret when none is asked for (DESIGN §8). */
const DEFAULT_GRACE_SECONDS = 86_400;

/**
 * The console's buttons, each through the handler its API route uses. Revoking an application has no
 * use-case handler yet (its route dispatches directly), so it runs the same domain command here.
 */
@CommandHandler(OwnerApplicationActionCommand)
export class OwnerApplicationActionHandler implements ICommandHandler<OwnerApplicationActionCommand> {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly applications: ApplicationsRepository,
    private readonly commands: CommandRunner,
  ) {}

  async execute({ action, applicationId, profileId, actor }: OwnerApplicationActionCommand): Promise<{ clientSecret?: string | null }> {
    switch (action) {
      case 'rotate-secret':
        return { clientSecret: (await this.commandBus.execute(new RotateSecretCommand(applicationId, profileId, actor, DEFAULT_GRACE_SECONDS))).clientSecret };
      case 'retire-previous-secret':
        await this.commandBus.execute(new RetirePreviousSecretCommand(applicationId, profileId, actor, 'completed'));
        return {};
      case 'delete':
        await this.commandBus.execute(new DeleteApplicationCommand(applicationId, profileId, actor));
        return {};
      case 'revoke': {
        await this.applications.owned(applicationId, profileId);
        const command: RevokeOAuthApplication = { type: 'RevokeOAuthApplication', applicationId, profileId };
        succeededOrRefused(await this.commands.run({ context: 'oauth-app', streamId: oauthApplicationStreamId(applicationId), command, actor }), 'The application could not be revoked.');
        return {};
      }
    }
  }
}
