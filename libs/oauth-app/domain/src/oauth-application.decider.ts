import {
  ErrorCodes,
  OAUTH_APPLICATION_EVENT_SCHEMA_VERSION,
  OAUTH_APPLICATION_STREAM_TYPE,
  type OAuthApplicationCommand,
  type OAuthApplicationEvent,
} from '@platform/contracts';
import { type AggregateDefinition, CommandRejected, type DecisionContext } from '@platform/service-runtime';

export type OAuthApplication =
  | { status: 'none' }
  | {
      status: 'active' | 'revoked' | 'deleted';
      applicationId: string;
      ownerProfileId: string;
      clientId: string;
      clientType: 'confidential' | 'public';
      credentialsRevealed: boolean;
    };

export const initialState = (): OAuthApplication => ({ status: 'none' });

/** Another profile's application is reported as not found: its existence is not theirs to learn. */
const owned = (state: OAuthApplication, profileId: string) => {
  if (state.status === 'none' || state.status === 'deleted' || state.ownerProfileId !== profileId) {
    throw new CommandRejected(ErrorCodes.oauthApplicationNotFound);
  }
  return state;
};

export const decide = (command: OAuthApplicationCommand, state: OAuthApplication, { now }: DecisionContext): OAuthApplicationEvent[] => {
  switch (command.type) {
    case 'RegisterOAuthApplication':
      if (state.status !== 'none') throw new CommandRejected(ErrorCodes.commandConcurrencyConflict);
      return [{ ...command, type: 'OAuthApplicationRegistered', registeredAt: now }];
    case 'RevealClientCredentials': {
      const app = owned(state, command.profileId);
      if (app.status === 'revoked') throw new CommandRejected(ErrorCodes.oauthApplicationRevoked);
      if (app.credentialsRevealed) throw new CommandRejected(ErrorCodes.oauthAlreadyRetrieved);
      const clientSecretHash = app.clientType === 'public' ? null : command.clientSecretHash;
      return [{ type: 'ClientCredentialsRevealed', applicationId: app.applicationId, profileId: command.profileId, clientSecretHash, revealedAt: now }];
    }
    case 'RotateClientSecret': {
      const app = owned(state, command.profileId);
      if (app.status === 'revoked') throw new CommandRejected(ErrorCodes.oauthApplicationRevoked);
      return [{ type: 'ClientSecretRotated', applicationId: app.applicationId, profileId: command.profileId, rotatedAt: now }];
    }
    case 'RevokeOAuthApplication': {
      const app = owned(state, command.profileId);
      if (app.status === 'revoked') return [];
      return [{ type: 'OAuthApplicationRevoked', applicationId: app.applicationId, profileId: command.profileId, revokedAt: now }];
    }
    case 'DeleteOAuthApplication': {
      const app = owned(state, command.profileId);
      return [{ type: 'OAuthApplicationDeleted', applicationId: app.applicationId, profileId: command.profileId, clientId: app.clientId, deletedAt: now }];
    }
    default:
      return unreachable(command);
  }
};

export const evolve = (state: OAuthApplication, event: OAuthApplicationEvent): OAuthApplication => {
  switch (event.type) {
    case 'OAuthApplicationRegistered':
      return {
        status: 'active',
        applicationId: event.applicationId,
        ownerProfileId: event.profileId,
        clientId: event.clientId,
        clientType: event.clientType,
        credentialsRevealed: false,
      };
    case 'ClientCredentialsRevealed':
      return state.status === 'none' ? state : { ...state, credentialsRevealed: true };
    case 'ClientSecretRotated':
      return state.status === 'none' ? state : { ...state, credentialsRevealed: false };
    case 'OAuthApplicationRevoked':
      return state.status === 'none' ? state : { ...state, status: 'revoked' };
    case 'OAuthApplicationDeleted':
      return state.status === 'none' ? state : { ...state, status: 'deleted' };
    default:
      return unreachable(event);
  }
};

export const oauthApplicationAggregate: AggregateDefinition<OAuthApplicationCommand, OAuthApplicationEvent, OAuthApplication> = {
  streamType: OAUTH_APPLICATION_STREAM_TYPE,
  decider: { decide, evolve, initialState },
  commandTypes: ['RegisterOAuthApplication', 'RevealClientCredentials', 'RotateClientSecret', 'RevokeOAuthApplication', 'DeleteOAuthApplication'],
  schemaVersionOf: (type) => OAUTH_APPLICATION_EVENT_SCHEMA_VERSION[type],
  claimsFor: (event) =>
    event.type === 'OAuthApplicationRegistered'
      ? [{ scope: 'oauth-app.client_id', value: event.clientId, rejectionReason: ErrorCodes.oauthClientIdTaken }]
      : [],
  releasesFor: (event) => (event.type === 'OAuthApplicationDeleted' ? [{ scope: 'oauth-app.client_id', value: event.clientId }] : []),
  resultFor: (command) => ({ applicationId: command.applicationId }),
};

function unreachable(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
