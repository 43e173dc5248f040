import { EntitySchema, type EntitySchemaColumnOptions, type ValueTransformer } from 'typeorm';
import type { CommandStatusRow } from '../commands/command-status.repository';
import type { AuthorizationTokenRow } from '../read-models/authorization-tokens.projection';
import type { GrantRow } from '../read-models/grants.projection';
import type { OAuthApplicationRow } from '../read-models/oauth-applications.projection';
import type { ProfileCredentialsRow } from '../read-models/profile-credentials.projection';
import type { QrTokenRow } from '../read-models/qr-tokens.projection';
import type { UsageRow } from '../read-models/application-activity.projection';

/** Read models carry instants as ISO strings, as the events do. */
const isoInstant: ValueTransformer = {
  from: (value: Date | null) => (value === null ? null : value.toISOString()),
  to: (value: unknown) => value,
};

const text = (name: string, more: Partial<EntitySchemaColumnOptions> = {}): EntitySchemaColumnOptions => ({ name, type: 'text', ...more });
const instant = (name: string, nullable = false): EntitySchemaColumnOptions => ({ name, type: 'timestamptz', nullable, transformer: isoInstant });
const jsonb = (name: string, nullable = false): EntitySchemaColumnOptions => ({ name, type: 'jsonb', nullable });

/**
 * The gateway's tables as TypeORM sees them. The migrations own their shape; a test checks these
 * entities describe exactly the migrated tables. The projector writes them in raw SQL (batched, in
 * its own transaction); repositories read the simple lookups through these entities.
 */
export const OAuthApplicationEntity = new EntitySchema<OAuthApplicationRow>({
  name: 'OAuthApplication',
  tableName: 'oauth_applications',
  columns: {
    applicationId: text('application_id', { primary: true }),
    profileId: text('profile_id'),
    name: text('name'),
    clientId: text('client_id', { unique: true }),
    clientType: text('client_type'),
    redirectUris: jsonb('redirect_uris'),
    scopes: jsonb('scopes'),
    status: text('status'),
    clientSecretHash: text('client_secret_hash', { nullable: true }),
    previousSecretHash: text('previous_secret_hash', { nullable: true }),
    previousSecretExpiresAt: instant('previous_secret_expires_at', true),
    credentialsRevealed: { name: 'credentials_revealed', type: 'boolean' },
    accessTokenTtlSeconds: { name: 'access_token_ttl_seconds', type: 'integer' },
    refreshTokenTtlSeconds: { name: 'refresh_token_ttl_seconds', type: 'integer' },
    createdAt: instant('created_at'),
  },
  indices: [{ name: 'oauth_applications_profile', columns: ['profileId', 'createdAt'] }],
});

export interface ProfileCredentialsRecord extends ProfileCredentialsRow {
  usernameKey: string;
}

export const ProfileCredentialsEntity = new EntitySchema<ProfileCredentialsRecord>({
  name: 'ProfileCredentials',
  tableName: 'profile_credentials',
  columns: {
    profileId: text('profile_id', { primary: true }),
    username: text('username'),
    usernameKey: text('username_key', { unique: true }),
    passwordHash: text('password_hash'),
    registeredAt: instant('registered_at'),
  },
});

export const AuthorizationTokenEntity = new EntitySchema<AuthorizationTokenRow>({
  name: 'AuthorizationToken',
  tableName: 'authorization_tokens',
  columns: {
    tokenHash: text('token_hash', { primary: true }),
    tokenId: text('token_id', { unique: true }),
    profileId: text('profile_id'),
    issuedAt: instant('issued_at'),
    expiresAt: instant('expires_at'),
    revokedAt: instant('revoked_at', true),
  },
  indices: [{ name: 'authorization_tokens_profile', columns: ['profileId'] }],
});

export const QrTokenEntity = new EntitySchema<QrTokenRow>({
  name: 'QrToken',
  tableName: 'qr_tokens',
  columns: {
    qrTokenHash: text('qr_token_hash', { primary: true }),
    qrTokenId: text('qr_token_id', { unique: true }),
    profileId: text('profile_id'),
    expiresAt: instant('expires_at'),
    redeemedAt: instant('redeemed_at', true),
    issuedAt: instant('issued_at', true),
    authorizationTokenId: text('authorization_token_id', { nullable: true }),
    revokedAt: instant('revoked_at', true),
  },
  indices: [{ name: 'qr_tokens_profile', columns: ['profileId'] }],
});

export const GrantEntity = new EntitySchema<GrantRow>({
  name: 'Grant',
  tableName: 'grants',
  columns: {
    grantId: text('grant_id', { primary: true }),
    applicationId: text('application_id'),
    clientId: text('client_id'),
    profileId: text('profile_id', { nullable: true }),
    scopes: jsonb('scopes'),
    nonceHash: text('nonce_hash', { nullable: true }),
    status: text('status'),
    codeExpiresAt: instant('code_expires_at', true),
    grantedAt: instant('granted_at', true),
    expiresAt: instant('expires_at', true),
  },
  indices: [
    { name: 'grants_application', columns: ['applicationId'] },
    { name: 'grants_resource_owner', columns: ['profileId'], where: 'profile_id IS NOT NULL' },
  ],
});

export interface ApplicationUsageRecord extends UsageRow {
  applicationId: string;
}

export const ApplicationUsageEntity = new EntitySchema<ApplicationUsageRecord>({
  name: 'ApplicationUsage',
  tableName: 'application_usage',
  columns: {
    applicationId: text('application_id', { primary: true }),
    tokensIssued: { name: 'tokens_issued', type: 'integer', default: 0 },
    tokensRefreshed: { name: 'tokens_refreshed', type: 'integer', default: 0 },
    tokensRevoked: { name: 'tokens_revoked', type: 'integer', default: 0 },
  },
});

export interface CommandStatusRecord extends CommandStatusRow {
  createdAt: string;
  completedAt: string | null;
}

export const CommandStatusEntity = new EntitySchema<CommandStatusRecord>({
  name: 'CommandStatus',
  tableName: 'command_status',
  columns: {
    commandId: text('command_id', { primary: true }),
    context: text('context'),
    commandType: text('command_type'),
    profileId: text('profile_id', { nullable: true }),
    status: text('status'),
    reason: text('reason', { nullable: true }),
    result: jsonb('result', true),
    createdAt: { ...instant('created_at'), default: () => 'now()' },
    completedAt: instant('completed_at', true),
  },
});

export const GATEWAY_ENTITIES = [
  OAuthApplicationEntity,
  ProfileCredentialsEntity,
  AuthorizationTokenEntity,
  QrTokenEntity,
  GrantEntity,
  ApplicationUsageEntity,
  CommandStatusEntity,
];
