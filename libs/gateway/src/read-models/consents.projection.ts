import type { GrantEvent, RecordedEvent } from '@platform/contracts';
import type { Projection } from '@platform/projector';

/** What a profile has consented to for one application: the union of the scopes of its code-flow grants. */
export interface ConsentRow {
  profileId: string;
  applicationId: string;
  scopes: string[];
  grantedAt: string;
}

/**
 * Derived from the grants, in either dialect: a code requested for a profile is its consent; the
 * resource owner revoking a grant forgets the consent to that application. Undefined removes the row.
 */
export const evolveConsent = (row: ConsentRow | undefined, event: GrantEvent): ConsentRow | undefined => {
  if (event.profileId === null) return row;
  switch (event.type) {
    case 'AuthorizationCodeRequested':
      return {
        profileId: event.profileId,
        applicationId: event.applicationId,
        scopes: [...new Set([...(row?.scopes ?? []), ...event.scopes])],
        grantedAt: row?.grantedAt ?? event.requestedAt,
      };
    case 'GrantRevoked':
      return event.reason === 'revoked-by-resource-owner' ? undefined : row;
    default:
      return row;
  }
};

export const consentsProjection: Projection = {
  name: 'consents',
  handles: ['token:AuthorizationCodeRequested', 'token:GrantRevoked'],
  tables: ['consents'],
  async apply(client, schema, recorded: RecordedEvent) {
    const event = { type: recorded.type, ...recorded.data } as GrantEvent;
    if (event.profileId === null) return;
    const { rows } = await client.query(`SELECT * FROM "${schema}".consents WHERE profile_id = $1 AND application_id = $2`, [event.profileId, event.applicationId]);
    const before: ConsentRow | undefined = rows[0] && {
      profileId: rows[0].profile_id,
      applicationId: rows[0].application_id,
      scopes: rows[0].scopes,
      grantedAt: new Date(rows[0].granted_at).toISOString(),
    };
    const next = evolveConsent(before, event);
    if (next === before) return;
    if (!next) {
      await client.query(`DELETE FROM "${schema}".consents WHERE profile_id = $1 AND application_id = $2`, [event.profileId, event.applicationId]);
      return;
    }
    await client.query(
      `INSERT INTO "${schema}".consents (profile_id, application_id, scopes, granted_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (profile_id, application_id) DO UPDATE SET scopes = EXCLUDED.scopes`,
      [next.profileId, next.applicationId, JSON.stringify(next.scopes), next.grantedAt],
    );
  },
};
