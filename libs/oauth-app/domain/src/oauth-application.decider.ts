import {
  CLIENT_SECRET_GRACE_SECONDS,
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
      secretHash: string | null;
      previousSecret: { hash: string; expiresAt: string } | null;
    };


export const initialState = (): OAuthApplication => ({ status: 'none' });

/** Another profile's application is reported as not found: its existence is not theirs to learn. */
const owned = (state: OAuthApplication, profileId: string) => {
  if (state.status === 'none' || state.status === 'deleted' || state.ownerProfileId !== profileId) {
    throw new CommandRejected(ErrorCodes.oauthApplicationNotFound);
  }
  return state;
};

type KnownApplication = Exclude<OAuthApplication, { status: 'none' }>;

/** The previous secret while it still authenticates at `now`. */
const livePreviousSecret = (app: KnownApplication, now: string) =>
  app.previousSecret && Date.parse(app.previousSecret.expiresAt) > Date.parse(now) ? app.previousSecret : null;

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
      const graceSeconds = command.graceSeconds ?? 0;
      if (!Number.isInteger(graceSeconds) || graceSeconds < CLIENT_SECRET_GRACE_SECONDS.min || graceSeconds > CLIENT_SECRET_GRACE_SECONDS.max) throw new CommandRejected(ErrorCodes.validation);
      // Rotating again before the new secret was read keeps the one clients still use.
      const kept = app.secretHash ?? livePreviousSecret(app, now)?.hash ?? null;
      const overlaps = kept !== null && graceSeconds > 0;
      return [
        {
          type: 'ClientSecretRotated',
          applicationId: app.applicationId,
          profileId: command.profileId,
          graceSeconds,
          previousSecretHash: overlaps ? kept : null,
          previousSecretExpiresAt: overlaps ? new Date(Date.parse(now) + graceSeconds * 1000).toISOString() : null,
          rotatedAt: now,
        },
      ];
    }
    case 'RetirePreviousClientSecret': {
      const app = owned(state, command.profileId);
      if (!livePreviousSecret(app, now)) return [];
      return [{ type: 'PreviousClientSecretRetired', applicationId: app.applicationId, profileId: command.profileId, retiredAt: now }];
    }
    case 'UpdateOAuthApplication': {
      const app = owned(state, command.profileId);
      if (app.status === 'revoked') throw new CommandRejected(ErrorCodes.oauthApplicationRevoked);
      const changes = Object.fromEntries(Object.entries(command.changes).filter(([, value]) => value !== undefined));
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'OAuthApplicationUpdated', applicationId: app.applicationId, profileId: command.profileId, changes, updatedAt: now }];
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
        secretHash: null,
        previousSecret: null,
      };
    case 'ClientCredentialsRevealed':
      return state.status === 'none' ? state : { ...state, credentialsRevealed: true, secretHash: event.clientSecretHash };
    case 'ClientSecretRotated': {
      if (state.status === 'none') return state;
      const previousSecret = event.previousSecretHash && event.previousSecretExpiresAt ? { hash: event.previousSecretHash, expiresAt: event.previousSecretExpiresAt } : null;
      return { ...state, credentialsRevealed: false, secretHash: null, previousSecret };
    }
    case 'PreviousClientSecretRetired':
      return state.status === 'none' ? state : { ...state, previousSecret: null };
    case 'OAuthApplicationUpdated':
      return state;
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
  commandTypes: [
    'RegisterOAuthApplication',
    'RevealClientCredentials',
    'RotateClientSecret',
    'RetirePreviousClientSecret',
    'UpdateOAuthApplication',
    'RevokeOAuthApplication',
    'DeleteOAuthApplication',
  ],
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
