import {
  AUTHORIZATION_TOKENS_STREAM_TYPE,
  ErrorCodes,
  type QrTokenRevokedReason,
  TOKEN_EVENT_SCHEMA_VERSION,
  type TokenCommand,
  type TokenEvent,
} from '@platform/contracts';
import { type AggregateDefinition, CommandRejected, type DecisionContext } from '@platform/service-runtime';

interface ActiveToken {
  tokenHash: string;
  expiresAt: string;
}

interface QrToken {
  qrTokenHash: string;
  issuedAt: string;
  expiresAt: string;
  authorizationTokenId: string | null;
  redeemed: boolean;
  revoked: boolean;
}

/**
 * A profile's live tokens, by id. Revoked and expired ones leave the state. Maps in insertion order,
 * copied on change (a profile signing in often holds thousands of live tokens: a copy is cheap, a
 * scan of every expiry on each event was not, so each map's earliest expiry is remembered).
 */
export interface ProfileTokens {
  active: ReadonlyMap<string, ActiveToken>;
  qr: ReadonlyMap<string, QrToken>;
}

export const initialState = (): ProfileTokens => ({ active: new Map(), qr: new Map() });

const isLive = (token: { expiresAt: string } | undefined, now: string): boolean =>
  token !== undefined && Date.parse(token.expiresAt) > Date.parse(now);

export const decide = (command: TokenCommand, state: ProfileTokens, { now }: DecisionContext): TokenEvent[] => {
  const issue = (tokenId: string, tokenHash: string, expiresAt: string, via: 'password' | 'qr-token' | 'reauthorization'): TokenEvent => {
    if (state.active.has(tokenId)) throw new CommandRejected(ErrorCodes.tokenAlreadyIssued);
    return { type: 'AuthorizationTokenIssued', profileId: command.profileId, tokenId, tokenHash, issuedAt: now, expiresAt, via };
  };
  const revoke = (tokenId: string, reason: 'revoked' | 'reauthorized' | 'password-changed'): TokenEvent => {
    const token = state.active.get(tokenId);
    if (!token || !isLive(token, now)) throw new CommandRejected(ErrorCodes.tokenNotActive);
    return { type: 'AuthorizationTokenRevoked', profileId: command.profileId, tokenId, tokenHash: token.tokenHash, revokedAt: now, reason };
  };
  /** Outstanding (live, unredeemed, unrevoked) QR tokens that `which` selects are revoked. */
  const revokeQrTokens = (which: (qr: QrToken) => boolean, reason: QrTokenRevokedReason): TokenEvent[] =>
    [...state.qr]
      .filter(([, qr]) => !qr.redeemed && !qr.revoked && isLive(qr, now) && which(qr))
      .map(([qrTokenId, qr]) => ({ type: 'QrTokenRevoked', profileId: command.profileId, qrTokenId, qrTokenHash: qr.qrTokenHash, revokedAt: now, reason }));
  const generatedBy = (tokenId: string) => (qr: QrToken) => qr.authorizationTokenId === tokenId;

  switch (command.type) {
    case 'IssueAuthorizationToken':
      return [issue(command.tokenId, command.tokenHash, command.expiresAt, 'password')];
    case 'ReauthorizeAuthorizationToken':
      return [
        revoke(command.currentTokenId, 'reauthorized'),
        issue(command.tokenId, command.tokenHash, command.expiresAt, 'reauthorization'),
        ...revokeQrTokens(generatedBy(command.currentTokenId), 'authorization-token-reauthorized'),
      ];
    case 'RevokeAuthorizationToken':
      return [revoke(command.tokenId, 'revoked'), ...revokeQrTokens(generatedBy(command.tokenId), 'authorization-token-revoked')];
    case 'RevokeOtherAuthorizationTokens': {
      const changedAt = command.changedAt ?? now;
      return [
        ...[...state.active]
          .filter(([tokenId, token]) => tokenId !== command.keepTokenId && isLive(token, now))
          .map(([tokenId]) => tokenId)
          .map((tokenId) => revoke(tokenId, 'password-changed')),
        ...revokeQrTokens((qr) => Date.parse(qr.issuedAt) <= Date.parse(changedAt), 'password-changed'),
      ];
    }
    case 'IssueQrToken':
      return [
        {
          type: 'QrTokenIssued',
          profileId: command.profileId,
          qrTokenId: command.qrTokenId,
          qrTokenHash: command.qrTokenHash,
          issuedAt: now,
          expiresAt: command.expiresAt,
          authorizationTokenId: command.authorizationTokenId,
        },
      ];
    case 'RedeemQrToken': {
      const qr = state.qr.get(command.qrTokenId);
      if (!qr) throw new CommandRejected(ErrorCodes.qrTokenInvalid);
      if (qr.revoked) throw new CommandRejected(ErrorCodes.qrTokenRevoked);
      if (qr.redeemed) throw new CommandRejected(ErrorCodes.qrTokenAlreadyRedeemed);
      if (!isLive(qr, now)) throw new CommandRejected(ErrorCodes.qrTokenExpired);
      return [
        { type: 'QrTokenRedeemed', profileId: command.profileId, qrTokenId: command.qrTokenId, qrTokenHash: qr.qrTokenHash, tokenId: command.tokenId, redeemedAt: now },
        issue(command.tokenId, command.tokenHash, command.expiresAt, 'qr-token'),
      ];
    }
    default:
      return unreachable(command);
  }
};

/** A lower bound of each map's earliest expiry (ms), carried from map to map: exact when computed. */
const earliest = new WeakMap<ReadonlyMap<string, { expiresAt: string }>, number>();

const earliestOf = (tokens: ReadonlyMap<string, { expiresAt: string }>): number => {
  let known = earliest.get(tokens);
  if (known === undefined) {
    known = Infinity;
    for (const token of tokens.values()) known = Math.min(known, Date.parse(token.expiresAt));
    earliest.set(tokens, known);
  }
  return known;
};

const derived = <T extends { expiresAt: string }>(from: ReadonlyMap<string, T>, next: Map<string, T>, added?: T): Map<string, T> => {
  earliest.set(next, Math.min(earliestOf(from), added ? Date.parse(added.expiresAt) : Infinity));
  return next;
};

/** Tokens already expired at the event's own time are dropped: the event's clock keeps evolve pure. */
const withoutExpired = <T extends { expiresAt: string }>(tokens: ReadonlyMap<string, T>, at: string): ReadonlyMap<string, T> => {
  const now = Date.parse(at);
  if (earliestOf(tokens) > now) return tokens;
  return new Map([...tokens].filter(([, token]) => Date.parse(token.expiresAt) > now));
};

const withToken = <T extends { expiresAt: string }>(tokens: ReadonlyMap<string, T>, id: string, token: T): ReadonlyMap<string, T> =>
  derived(tokens, new Map(tokens).set(id, token), token);

const withoutToken = <T extends { expiresAt: string }>(tokens: ReadonlyMap<string, T>, id: string): ReadonlyMap<string, T> => {
  const next = new Map(tokens);
  next.delete(id);
  return derived(tokens, next);
};

export const evolve = (state: ProfileTokens, event: TokenEvent): ProfileTokens => {
  switch (event.type) {
    case 'AuthorizationTokenIssued':
      return { ...state, active: withToken(withoutExpired(state.active, event.issuedAt), event.tokenId, { tokenHash: event.tokenHash, expiresAt: event.expiresAt }) };
    case 'AuthorizationTokenRevoked':
      return { ...state, active: withoutToken(state.active, event.tokenId) };
    case 'QrTokenIssued':
      return {
        ...state,
        qr: withToken(withoutExpired(state.qr, event.issuedAt), event.qrTokenId, {
          qrTokenHash: event.qrTokenHash,
          issuedAt: event.issuedAt,
          expiresAt: event.expiresAt,
          authorizationTokenId: event.authorizationTokenId,
          redeemed: false,
          revoked: false,
        }),
      };
    case 'QrTokenRedeemed':
      return { ...state, qr: withToken(state.qr, event.qrTokenId, { ...state.qr.get(event.qrTokenId)!, redeemed: true }) };
    case 'QrTokenRevoked':
      return { ...state, qr: withToken(state.qr, event.qrTokenId, { ...state.qr.get(event.qrTokenId)!, revoked: true }) };
    default:
      return unreachable(event);
  }
};

export const authorizationTokensAggregate: AggregateDefinition<TokenCommand, TokenEvent, ProfileTokens> = {
  streamType: AUTHORIZATION_TOKENS_STREAM_TYPE,
  decider: { decide, evolve, initialState },
  commandTypes: [
    'IssueAuthorizationToken',
    'ReauthorizeAuthorizationToken',
    'RevokeAuthorizationToken',
    'RevokeOtherAuthorizationTokens',
    'IssueQrToken',
    'RedeemQrToken',
  ],
  schemaVersionOf: (type) => TOKEN_EVENT_SCHEMA_VERSION[type],
  resultFor: (command) => ({ profileId: command.profileId }),
};

function unreachable(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
