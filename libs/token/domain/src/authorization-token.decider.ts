import {
  AUTHORIZATION_TOKEN_STREAM_TYPE,
  ErrorCodes,
  TOKEN_EVENT_SCHEMA_VERSION,
  type TokenCommand,
  type TokenEvent,
} from '@platform/contracts';
import { type AggregateDefinition, CommandRejected, type DecisionContext } from '@platform/service-runtime';

export type AuthorizationToken =
  | { status: 'none' }
  | { status: 'active' | 'revoked'; tokenId: string; profileId: string; tokenHash: string; expiresAt: string };

export const initialState = (): AuthorizationToken => ({ status: 'none' });

export const decide = (command: TokenCommand, state: AuthorizationToken, { now }: DecisionContext): TokenEvent[] => {
  switch (command.type) {
    case 'IssueAuthorizationToken':
      if (state.status !== 'none') throw new CommandRejected(ErrorCodes.tokenAlreadyIssued);
      return [
        {
          type: 'AuthorizationTokenIssued',
          tokenId: command.tokenId,
          profileId: command.profileId,
          tokenHash: command.tokenHash,
          issuedAt: now,
          expiresAt: command.expiresAt,
        },
      ];
    case 'RevokeAuthorizationToken':
      if (state.status === 'none') throw new CommandRejected(ErrorCodes.tokenNotFound);
      if (state.status === 'revoked') throw new CommandRejected(ErrorCodes.tokenRevoked);
      return [
        { type: 'AuthorizationTokenRevoked', tokenId: state.tokenId, profileId: state.profileId, tokenHash: state.tokenHash, revokedAt: now },
      ];
    default:
      return unreachable(command);
  }
};

export const evolve = (state: AuthorizationToken, event: TokenEvent): AuthorizationToken => {
  switch (event.type) {
    case 'AuthorizationTokenIssued':
      return { status: 'active', tokenId: event.tokenId, profileId: event.profileId, tokenHash: event.tokenHash, expiresAt: event.expiresAt };
    case 'AuthorizationTokenRevoked':
      return state.status === 'none' ? state : { ...state, status: 'revoked' };
    default:
      return unreachable(event);
  }
};

export const authorizationTokenAggregate: AggregateDefinition<TokenCommand, TokenEvent, AuthorizationToken> = {
  streamType: AUTHORIZATION_TOKEN_STREAM_TYPE,
  decider: { decide, evolve, initialState },
  commandTypes: ['IssueAuthorizationToken', 'RevokeAuthorizationToken'],
  schemaVersionOf: (type) => TOKEN_EVENT_SCHEMA_VERSION[type],
  resultFor: (command) => ({ tokenId: command.tokenId }),
};

function unreachable(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
