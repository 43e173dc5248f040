import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { oauthApplicationStreamId } from '@platform/contracts';
import { CommandDispatcher } from '../../commands/command-dispatcher';
import { succeededOrRefused } from '../../commands/command-refused';
import { CommandRunner } from '../../commands/command-runner';
import { newClientId, RegisterApplicationCommand, registerOAuthApplication, type RegisteredApplication } from './register-application.command';

/** The command id is the application's id, so a poll of the command finds the application. */
@CommandHandler(RegisterApplicationCommand)
export class RegisterApplicationHandler implements ICommandHandler<RegisterApplicationCommand> {
  constructor(
    private readonly dispatcher: CommandDispatcher,
    private readonly commands: CommandRunner,
  ) {}

  async execute({ profileId, actor, registration, completion }: RegisterApplicationCommand): Promise<RegisteredApplication> {
    const applicationId = this.dispatcher.newCommandId();
    const command = registerOAuthApplication({ applicationId, clientId: newClientId() }, profileId, registration);
    const request = { context: 'oauth-app' as const, streamId: oauthApplicationStreamId(applicationId), command, commandId: applicationId, actor };
    if (completion === 'completed') succeededOrRefused(await this.commands.run(request), 'The application could not be created.');
    else await this.dispatcher.dispatch(request);
    return { applicationId, clientId: command.clientId, clientType: command.clientType };
  }
}
