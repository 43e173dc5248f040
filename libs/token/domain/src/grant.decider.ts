import {
  ErrorCodes,
  GRANT_EVENT_SCHEMA_VERSION,
  GRANT_STREAM_TYPE,
  type GrantApplication,
  type GrantCommand,
  type GrantEvent,
  isKnownScope,
  type IssuedTokens,
  scopeSatisfies,
} from '@platform/contracts';
import { type AggregateDefinition, CommandRejected, type DecisionContext } from '@platform/service-runtime';

export const AUTHORIZATION_CODE_TTL_SECONDS = 60;

interface GrantFacts {
  grantId: string;
  applicationId: string;
  clientId: string;
  profileId: string | null;
}

export type Grant =
  | { status: 'none' }
  | (GrantFacts & {
      status: 'requested' | 'code-issued' | 'active' | 'revoked';
      scopes: string[];
      nonceHash: string;
      codeHash: string | null;
      codeExpiresAt: string;
      codeRedeemed: boolean;
      redirectUri: string | null;
      codeChallenge: string | null;
      accessTokenTtlSeconds: number;
      refreshTokenTtlSeconds: number;
      refreshTokenHash: string | null;
      refreshTokenExpiresAt: string | null;
      retiredRefreshTokenHashes: string[];
    });

export const initialState = (): Grant => ({ status: 'none' });

const plus = (now: string, seconds: number) => new Date(Date.parse(now) + seconds * 1000).toISOString();
const invalidGrant = () => new CommandRejected(ErrorCodes.oauthInvalidGrant);

/** Requested scopes within the application's (empty means all of them); never beyond. */
const grantedScopes = (application: GrantApplication, requested: string[]): string[] => {
  if (requested.length === 0) return application.scopes;
  if (!requested.every((scope) => isKnownScope(scope) && scopeSatisfies(application.scopes, scope))) throw new CommandRejected(ErrorCodes.oauthInvalidScope);
  return [...new Set(requested)];
};

/**
 * RFC 6749 §6: a refresh may ask for part of what the resource owner granted, never more. Only the
 * new access token is narrowed; the grant, and so the rotated refresh token, keeps the original scopes.
 */
const refreshedScopes = (granted: string[], requested: string[] | undefined): string[] => {
  if (!requested || requested.length === 0) return granted;
  if (!requested.every((scope) => isKnownScope(scope) && scopeSatisfies(granted, scope))) throw new CommandRejected(ErrorCodes.oauthInvalidScope);
  return [...new Set(requested)];
};

const issueTokens = (facts: GrantFacts, scopes: string[], tokens: IssuedTokens, now: string, via: 'authorization_code' | 'refresh_token' | 'client_credentials'): GrantEvent[] => [
  { type: 'AccessTokenIssued', ...facts, accessTokenId: tokens.accessTokenId, scopes, issuedAt: now, expiresAt: tokens.accessTokenExpiresAt, via },
  ...(tokens.refreshTokenHash && tokens.refreshTokenExpiresAt
    ? [{ type: 'RefreshTokenIssued' as const, ...facts, refreshTokenHash: tokens.refreshTokenHash, issuedAt: now, expiresAt: tokens.refreshTokenExpiresAt }]
    : []),
];

const factsOf = (state: Exclude<Grant, { status: 'none' }>): GrantFacts => ({
  grantId: state.grantId,
  applicationId: state.applicationId,
  clientId: state.clientId,
  profileId: state.profileId,
});

export const decide = (command: GrantCommand, state: Grant, { now }: DecisionContext): GrantEvent[] => {
  switch (command.type) {
    case 'RequestAuthorizationCode': {
      if (state.status !== 'none') throw new CommandRejected(ErrorCodes.commandConcurrencyConflict);
      const { application } = command;
      const facts = { grantId: command.grantId, applicationId: application.applicationId, clientId: application.clientId, profileId: command.profileId };
      const codeExpiresAt = plus(now, AUTHORIZATION_CODE_TTL_SECONDS);
      return [
        {
          type: 'AuthorizationCodeRequested',
          ...facts,
          nonceHash: command.nonceHash,
          scopes: grantedScopes(application, command.scopes),
          requestedAt: now,
          codeExpiresAt,
          accessTokenTtlSeconds: application.accessTokenTtlSeconds,
          refreshTokenTtlSeconds: application.refreshTokenTtlSeconds,
          redirectUri: command.redirectUri ?? null,
          codeChallenge: command.codeChallenge ?? null,
        },
        ...(command.codeHash ? [{ type: 'AuthorizationCodeIssued' as const, ...facts, codeHash: command.codeHash, issuedAt: now, codeExpiresAt }] : []),
      ];
    }
    case 'IssueAuthorizationCode': {
      if (state.status === 'none' || state.clientId !== command.clientId) throw new CommandRejected(ErrorCodes.oauthApplicationNotFound);
      if (state.nonceHash !== command.nonceHash) throw new CommandRejected(ErrorCodes.oauthInvalidNonce);
      if (state.status === 'revoked') throw invalidGrant();
      if (state.status !== 'requested') throw new CommandRejected(ErrorCodes.oauthAlreadyRetrieved);
      if (Date.parse(now) >= Date.parse(state.codeExpiresAt)) throw invalidGrant();
      return [{ type: 'AuthorizationCodeIssued', ...factsOf(state), codeHash: command.codeHash, issuedAt: now, codeExpiresAt: state.codeExpiresAt }];
    }
    case 'RedeemAuthorizationCode': {
      if (state.status === 'none' || state.codeHash !== command.codeHash || state.clientId !== command.clientId) throw invalidGrant();
      if (state.status === 'revoked') throw invalidGrant();
      if (state.codeRedeemed) {
        return [
          { type: 'AuthorizationCodeReplayed', ...factsOf(state), detectedAt: now },
          { type: 'GrantRevoked', ...factsOf(state), reason: 'code-replayed', revokedAt: now },
        ];
      }
      if (Date.parse(now) >= Date.parse(state.codeExpiresAt)) throw invalidGrant();
      if (state.redirectUri !== null && state.redirectUri !== command.redirectUri) throw invalidGrant();
      // PKCE both ways: a bound challenge needs its verifier, and a verifier for an unbound code is a downgrade.
      if (state.codeChallenge !== (command.codeVerifierChallenge ?? null)) throw invalidGrant();
      return issueTokens(factsOf(state), state.scopes, command.tokens, now, 'authorization_code');
    }
    case 'RefreshAccessToken': {
      if (state.status === 'none' || state.clientId !== command.clientId) throw invalidGrant();
      if (state.status === 'revoked') throw invalidGrant();
      if (state.retiredRefreshTokenHashes.includes(command.refreshTokenHash)) {
        return [
          { type: 'RefreshTokenReuseDetected', ...factsOf(state), refreshTokenHash: command.refreshTokenHash, detectedAt: now },
          { type: 'GrantRevoked', ...factsOf(state), reason: 'refresh-token-reused', revokedAt: now },
        ];
      }
      if (state.refreshTokenHash !== command.refreshTokenHash) throw invalidGrant();
      if (state.refreshTokenExpiresAt && Date.parse(now) >= Date.parse(state.refreshTokenExpiresAt)) throw invalidGrant();
      return issueTokens(factsOf(state), refreshedScopes(state.scopes, command.scopes), command.tokens, now, 'refresh_token');
    }
    case 'IssueClientCredentialsToken': {
      if (state.status !== 'none') throw new CommandRejected(ErrorCodes.commandConcurrencyConflict);
      const { application } = command;
      const facts = { grantId: command.grantId, applicationId: application.applicationId, clientId: application.clientId, profileId: null };
      return issueTokens(facts, grantedScopes(application, command.scopes), command.tokens, now, 'client_credentials');
    }
    case 'RevokeGrant':
      if (state.status === 'none') throw invalidGrant();
      if (state.status === 'revoked') return [];
      return [{ type: 'GrantRevoked', ...factsOf(state), reason: command.reason, revokedAt: now }];
    case 'RevokeGrantByResourceOwner':
      if (state.status === 'none' || state.profileId === null || state.profileId !== command.profileId) throw new CommandRejected(ErrorCodes.oauthGrantNotFound);
      if (state.status === 'revoked') return [];
      return [{ type: 'GrantRevoked', ...factsOf(state), reason: 'revoked-by-resource-owner', revokedAt: now }];
    default:
      return unreachable(command);
  }
};

export const evolve = (state: Grant, event: GrantEvent): Grant => {
  const facts = { grantId: event.grantId, applicationId: event.applicationId, clientId: event.clientId, profileId: event.profileId };
  switch (event.type) {
    case 'AuthorizationCodeRequested':
      return {
        status: 'requested',
        ...facts,
        scopes: event.scopes,
        nonceHash: event.nonceHash,
        codeHash: null,
        codeExpiresAt: event.codeExpiresAt,
        codeRedeemed: false,
        redirectUri: event.redirectUri,
        codeChallenge: event.codeChallenge,
        accessTokenTtlSeconds: event.accessTokenTtlSeconds,
        refreshTokenTtlSeconds: event.refreshTokenTtlSeconds,
        refreshTokenHash: null,
        refreshTokenExpiresAt: null,
        retiredRefreshTokenHashes: [],
      };
    case 'AuthorizationCodeIssued':
      return state.status === 'none' ? state : { ...state, status: 'code-issued', codeHash: event.codeHash };
    case 'AccessTokenIssued':
      if (state.status === 'none') {
        return {
          status: 'active',
          ...facts,
          scopes: event.scopes,
          nonceHash: '',
          codeHash: null,
          codeExpiresAt: event.issuedAt,
          codeRedeemed: false,
          redirectUri: null,
          codeChallenge: null,
          accessTokenTtlSeconds: 0,
          refreshTokenTtlSeconds: 0,
          refreshTokenHash: null,
          refreshTokenExpiresAt: null,
          retiredRefreshTokenHashes: [],
        };
      }
      return { ...state, status: 'active', codeRedeemed: state.codeRedeemed || event.via === 'authorization_code' };
    case 'RefreshTokenIssued':
      if (state.status === 'none') return state;
      return {
        ...state,
        refreshTokenHash: event.refreshTokenHash,
        refreshTokenExpiresAt: event.expiresAt,
        retiredRefreshTokenHashes: state.refreshTokenHash ? [...state.retiredRefreshTokenHashes, state.refreshTokenHash] : state.retiredRefreshTokenHashes,
      };
    case 'AuthorizationCodeReplayed':
    case 'RefreshTokenReuseDetected':
      return state;
    case 'GrantRevoked':
      return state.status === 'none' ? state : { ...state, status: 'revoked' };
    default:
      return unreachable(event);
  }
};

/** What the caller learns: the grant id, the scopes of the access token issued, and whether the request was refused by what it triggered. */
const resultFor = (command: GrantCommand, events: GrantEvent[]) => ({
  grantId: command.grantId,
  ...events.flatMap((e) => (e.type === 'AccessTokenIssued' ? [{ scopes: e.scopes }] : []))[0],
  ...(events.some((e) => e.type === 'AuthorizationCodeReplayed' || e.type === 'RefreshTokenReuseDetected') ? { refused: ErrorCodes.oauthInvalidGrant } : {}),
});

export const grantAggregate: AggregateDefinition<GrantCommand, GrantEvent, Grant> = {
  streamType: GRANT_STREAM_TYPE,
  decider: { decide, evolve, initialState },
  commandTypes: ['RequestAuthorizationCode', 'IssueAuthorizationCode', 'RedeemAuthorizationCode', 'RefreshAccessToken', 'IssueClientCredentialsToken', 'RevokeGrant', 'RevokeGrantByResourceOwner'],
  schemaVersionOf: (type) => GRANT_EVENT_SCHEMA_VERSION[type],
  claimsFor: (event) =>
    event.type === 'AuthorizationCodeRequested'
      ? [{ scope: 'oauth.nonce', value: `${event.applicationId}:${event.nonceHash}`, rejectionReason: ErrorCodes.oauthNonceUsed }]
      : [],
  startsStream: (command) => command.type === 'RequestAuthorizationCode' || command.type === 'IssueClientCredentialsToken',
  resultFor,
};

function unreachable(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
