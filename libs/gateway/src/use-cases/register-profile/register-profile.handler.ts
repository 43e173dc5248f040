import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { profileStreamId } from '@platform/contracts';
import { CommandDispatcher } from '../../commands/command-dispatcher';
import { registerProfile, RegisterProfileCommand } from './register-profile.command';

@CommandHandler(RegisterProfileCommand)
export class RegisterProfileHandler implements ICommandHandler<RegisterProfileCommand> {
  constructor(private readonly dispatcher: CommandDispatcher) {}

  async execute({ username, password }: RegisterProfileCommand): Promise<string> {
    const profileId = uuidv7();
    const command = await registerProfile(profileId, username, password);
    return this.dispatcher.dispatch({ context: 'profile', streamId: profileStreamId(profileId), command, actor: { profileId } });
  }
}
