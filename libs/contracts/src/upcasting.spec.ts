import type { RecordedEvent } from './messages';
import { currentSchemaVersion, upcastEvent } from './upcasting';

const recorded = (schemaVersion: number, data: Record<string, unknown>): RecordedEvent => ({
  kind: 'event',
  context: 'profile',
  streamId: 'profile-p-1',
  streamType: 'profile',
  version: 2,
  globalPosition: { transactionId: '1', position: '2' },
  type: 'PasswordChanged',
  schemaVersion,
  data,
  metadata: { commandId: 'c', correlationId: 'c', causationId: 'c', actor: {}, occurredAt: '2026-01-01T00:00:00.000Z' },
});

describe('upcasting on read', () => {
  it('upgrades a PasswordChanged v1 to v2: no token was kept', () => {
    const v1 = recorded(1, { profileId: 'p-1', passwordHash: 'h', changedAt: '2026-01-01T00:00:00.000Z' });
    expect(upcastEvent(v1)).toEqual({ ...v1, schemaVersion: 2, data: { ...v1.data, keepAuthorizationTokenId: null } });
    expect(v1.schemaVersion).toBe(1);
  });

  it('leaves current shapes and unknown types untouched', () => {
    const v2 = recorded(2, { profileId: 'p-1', passwordHash: 'h', changedAt: 'x', keepAuthorizationTokenId: 't' });
    expect(upcastEvent(v2)).toBe(v2);
    const other = { ...v2, type: 'ProfileRegistered', schemaVersion: 1 };
    expect(upcastEvent(other)).toBe(other);
    expect(currentSchemaVersion('profile', 'PasswordChanged')).toBe(2);
    expect(currentSchemaVersion('profile', 'ProfileRegistered')).toBe(1);
  });

  it('upgrades a QrTokenIssued v1 to v2: the generating token is unknown', () => {
    const data = { profileId: 'p-1', qrTokenId: 'q-1', qrTokenHash: 'qh', issuedAt: 'x', expiresAt: 'y' };
    const v1 = { ...recorded(1, data), context: 'token' as const, type: 'QrTokenIssued' };
    expect(upcastEvent(v1)).toEqual({ ...v1, schemaVersion: 2, data: { ...data, authorizationTokenId: null } });
    expect(currentSchemaVersion('token', 'QrTokenIssued')).toBe(2);
  });

  it('upgrades a ClientSecretRotated v1 to v2: the old secret was refused at once, nothing overlaps', () => {
    const data = { applicationId: 'a-1', profileId: 'p-1', rotatedAt: 'x' };
    const v1 = { ...recorded(1, data), context: 'oauth-app' as const, type: 'ClientSecretRotated' };
    expect(upcastEvent(v1)).toEqual({ ...v1, schemaVersion: 2, data: { ...data, graceSeconds: 0, previousSecretHash: null, previousSecretExpiresAt: null } });
    expect(currentSchemaVersion('oauth-app', 'ClientSecretRotated')).toBe(2);
  });
});
