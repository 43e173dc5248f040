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

/** A profile's live tokens. Revoked and expired ones leave the state, so it stays small. */
export interface ProfileTokens {
  active: Record<string, ActiveToken>;
  qr: Record<string, QrToken>;
}

export const initialState = (): ProfileTokens => ({ active: {}, qr: {} });

const isLive = (token: { expiresAt: string } | undefined, now: string): boolean =>
  token !== undefined && Date.parse(token.expiresAt) > Date.parse(now);

export const decide = (command: TokenCommand, state: ProfileTokens, { now }: DecisionContext): TokenEvent[] => {
  const issue = (tokenId: string, tokenHash: string, expiresAt: string, via: 'password' | 'qr-token' | 'reauthorization'): TokenEvent => {
    if (state.active[tokenId]) throw new CommandRejected(ErrorCodes.tokenAlreadyIssued);
    return { type: 'AuthorizationTokenIssued', profileId: command.profileId, tokenId, tokenHash, issuedAt: now, expiresAt, via };
  };
  const revoke = (tokenId: string, reason: 'revoked' | 'reauthorized' | 'password-changed'): TokenEvent => {
    const token = state.active[tokenId];
    if (!isLive(token, now)) throw new CommandRejected(ErrorCodes.tokenNotActive);
    return { type: 'AuthorizationTokenRevoked', profileId: command.profileId, tokenId, tokenHash: token.tokenHash, revokedAt: now, reason };
  };
  /** Outstanding (live, unredeemed, unrevoked) QR tokens that `which` selects are revoked. */
  const revokeQrTokens = (which: (qr: QrToken) => boolean, reason: QrTokenRevokedReason): TokenEvent[] =>
    Object.entries(state.qr)
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
        ...Object.keys(state.active)
          .filter((tokenId) => tokenId !== command.keepTokenId && isLive(state.active[tokenId], now))
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
      const qr = state.qr[command.qrTokenId];
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

/** Tokens already expired at the event's own time are dropped: the event's clock keeps evolve pure. */
const withoutExpired = <T extends { expiresAt: string }>(tokens: Record<string, T>, at: string): Record<string, T> =>
  Object.fromEntries(Object.entries(tokens).filter(([, token]) => isLive(token, at)));

export const evolve = (state: ProfileTokens, event: TokenEvent): ProfileTokens => {
  switch (event.type) {
    case 'AuthorizationTokenIssued':
      return {
        ...state,
        active: { ...withoutExpired(state.active, event.issuedAt), [event.tokenId]: { tokenHash: event.tokenHash, expiresAt: event.expiresAt } },
      };
    case 'AuthorizationTokenRevoked': {
      const { [event.tokenId]: _revoked, ...active } = state.active;
      return { ...state, active };
    }
    case 'QrTokenIssued':
      return {
        ...state,
        qr: {
          ...withoutExpired(state.qr, event.issuedAt),
          [event.qrTokenId]: {
            qrTokenHash: event.qrTokenHash,
            issuedAt: event.issuedAt,
            expiresAt: event.expiresAt,
            authorizationTokenId: event.authorizationTokenId,
            redeemed: false,
            revoked: false,
          },
        },
      };
    case 'QrTokenRedeemed':
      return { ...state, qr: { ...state.qr, [event.qrTokenId]: { ...state.qr[event.qrTokenId], redeemed: true } } };
    case 'QrTokenRevoked':
      return { ...state, qr: { ...state.qr, [event.qrTokenId]: { ...state.qr[event.qrTokenId], revoked: true } } };
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
