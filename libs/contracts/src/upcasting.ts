import type { RecordedEvent } from './messages';

/**
 * Old event shapes, kept as they were written. A store never rewrites history: readers upcast on
 * read, with pure functions, so every consumer (deciders, projections, replays) sees current shapes.
 */
export type PasswordChangedV1 = {
  type: 'PasswordChanged';
  profileId: string;
  passwordHash: string;
  changedAt: string;
};

export type QrTokenIssuedV1 = {
  type: 'QrTokenIssued';
  profileId: string;
  qrTokenId: string;
  qrTokenHash: string;
  issuedAt: string;
  expiresAt: string;
};

export type ClientSecretRotatedV1 = {
  type: 'ClientSecretRotated';
  applicationId: string;
  profileId: string;
  rotatedAt: string;
};

type Upcast = (data: Record<string, unknown>) => Record<string, unknown>;

/** `context:type` → schema version it upgrades from → the upgrade to the next version. */
const UPCASTERS: Record<string, Record<number, Upcast>> = {
  // v2 added the token that made the change (it stays valid; the profile's others are revoked).
  'profile:PasswordChanged': { 1: (data) => ({ ...(data as Omit<PasswordChangedV1, 'type'>), keepAuthorizationTokenId: null }) },
  // v2 added the authorization token that generated the QR token (unknown for v1).
  'token:QrTokenIssued': { 1: (data) => ({ ...(data as Omit<QrTokenIssuedV1, 'type'>), authorizationTokenId: null }) },
  // v2 added the overlap: a v1 rotation refused the old secret at once, so nothing kept authenticating.
  'oauth-app:ClientSecretRotated': {
    1: (data) => ({ ...(data as Omit<ClientSecretRotatedV1, 'type'>), graceSeconds: 0, previousSecretHash: null, previousSecretExpiresAt: null }),
  },
};

export const CURRENT_SCHEMA_VERSION: Record<string, number> = { 'profile:PasswordChanged': 2, 'token:QrTokenIssued': 2, 'oauth-app:ClientSecretRotated': 2 };

export const currentSchemaVersion = (context: string, type: string): number => CURRENT_SCHEMA_VERSION[`${context}:${type}`] ?? 1;

export const upcastEvent = (event: RecordedEvent): RecordedEvent => {
  const steps = UPCASTERS[`${event.context}:${event.type}`];
  let { data, schemaVersion } = event as { data: Record<string, unknown>; schemaVersion: number };
  while (steps?.[schemaVersion]) {
    data = steps[schemaVersion](data);
    schemaVersion += 1;
  }
  return schemaVersion === event.schemaVersion ? event : { ...event, data: data as RecordedEvent['data'], schemaVersion };
};
