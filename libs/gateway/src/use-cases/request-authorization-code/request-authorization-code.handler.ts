import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { grantStreamId } from '@platform/contracts';
import { CommandDispatcher } from '../../commands/command-dispatcher';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { requestAuthorizationCode, RequestAuthorizationCodeCommand } from './request-authorization-code.command';

@CommandHandler(RequestAuthorizationCodeCommand)
export class RequestAuthorizationCodeHandler implements ICommandHandler<RequestAuthorizationCodeCommand> {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly dispatcher: CommandDispatcher,
  ) {}

  async execute(request: RequestAuthorizationCodeCommand): Promise<string> {
    const application = await this.applications.byClientId(request.clientId);
    const grantId = this.dispatcher.newCommandId();
    const command = requestAuthorizationCode(grantId, request, application);
    await this.dispatcher.dispatch({ context: 'token', streamId: grantStreamId(grantId), command, commandId: grantId, actor: { profileId: request.profileId } });
    return grantId;
  }
}
