import type { ProfileEvent, RecordedEvent } from '@platform/contracts';
import type { Projection } from '@platform/projector';

export interface ProfileCredentialsRow {
  profileId: string;
  username: string;
  passwordHash: string;
  registeredAt: string;
}

export const evolveProfileCredentials = (
  row: ProfileCredentialsRow | undefined,
  event: ProfileEvent,
): ProfileCredentialsRow | undefined => {
  switch (event.type) {
    case 'ProfileRegistered':
      return { profileId: event.profileId, username: event.username, passwordHash: event.passwordHash, registeredAt: event.registeredAt };
    case 'PasswordChanged':
      return row && { ...row, passwordHash: event.passwordHash };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
};

/** What authenticate and change-password verify against. */
export const profileCredentialsProjection: Projection = {
  name: 'profile_credentials',
  handles: ['profile:ProfileRegistered', 'profile:PasswordChanged'],
  tables: ['profile_credentials'],
  async apply(client, schema, recorded: RecordedEvent) {
    const event = { type: recorded.type, ...recorded.data } as ProfileEvent;
    const { rows } = await client.query(
      `SELECT profile_id, username, password_hash, registered_at FROM "${schema}".profile_credentials WHERE profile_id = $1`,
      [event.profileId],
    );
    const current: ProfileCredentialsRow | undefined = rows[0] && {
      profileId: rows[0].profile_id,
      username: rows[0].username,
      passwordHash: rows[0].password_hash,
      registeredAt: new Date(rows[0].registered_at).toISOString(),
    };
    const next = evolveProfileCredentials(current, event);
    if (!next) return;
    await client.query(
      `INSERT INTO "${schema}".profile_credentials (profile_id, username, username_key, password_hash, registered_at)
       VALUES ($1, $2, lower($2), $3, $4)
       ON CONFLICT (profile_id) DO UPDATE SET password_hash = EXCLUDED.password_hash`,
      [next.profileId, next.username, next.passwordHash, next.registeredAt],
    );
  },
};
