import {
  ErrorCodes,
  PROFILE_EVENT_SCHEMA_VERSION,
  PROFILE_STREAM_TYPE,
  type ProfileCommand,
  type ProfileEvent,
} from '@platform/contracts';
import { type AggregateDefinition, CommandRejected, type DecisionContext } from '@platform/service-runtime';

export type Profile =
  | { status: 'unregistered' }
  | { status: 'registered'; profileId: string; username: string; passwordHash: string };

export const initialState = (): Profile => ({ status: 'unregistered' });

export const decide = (command: ProfileCommand, state: Profile, { now }: DecisionContext): ProfileEvent[] => {
  switch (command.type) {
    case 'RegisterProfile':
      if (state.status === 'registered') throw new CommandRejected(ErrorCodes.profileAlreadyRegistered);
      return [
        {
          type: 'ProfileRegistered',
          profileId: command.profileId,
          username: command.username,
          passwordHash: command.passwordHash,
          registeredAt: now,
        },
      ];
    case 'ChangePassword':
      if (state.status !== 'registered') throw new CommandRejected(ErrorCodes.profileNotFound);
      if (!command.currentPasswordVerified || command.verifiedAgainstHash !== state.passwordHash) {
        throw new CommandRejected(ErrorCodes.profileInvalidPassword);
      }
      return [
        {
          type: 'PasswordChanged',
          profileId: state.profileId,
          passwordHash: command.newPasswordHash,
          changedAt: now,
          keepAuthorizationTokenId: command.keepAuthorizationTokenId,
        },
      ];
    default:
      return unreachable(command);
  }
};

export const evolve = (state: Profile, event: ProfileEvent): Profile => {
  switch (event.type) {
    case 'ProfileRegistered':
      return { status: 'registered', profileId: event.profileId, username: event.username, passwordHash: event.passwordHash };
    case 'PasswordChanged':
      return state.status === 'registered' ? { ...state, passwordHash: event.passwordHash } : state;
    default:
      return unreachable(event);
  }
};

/** Usernames are unique regardless of case. */
export const usernameClaim = (username: string) => ({
  scope: 'profile.username',
  value: username.toLowerCase(),
  rejectionReason: ErrorCodes.profileUsernameTaken,
});

export const profileAggregate: AggregateDefinition<ProfileCommand, ProfileEvent, Profile> = {
  streamType: PROFILE_STREAM_TYPE,
  decider: { decide, evolve, initialState },
  commandTypes: ['RegisterProfile', 'ChangePassword'],
  schemaVersionOf: (type) => PROFILE_EVENT_SCHEMA_VERSION[type],
  claimsFor: (event) => (event.type === 'ProfileRegistered' ? [usernameClaim(event.username)] : []),
  resultFor: (command) => ({ profileId: command.profileId }),
};

function unreachable(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
