import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { ErrorCodes } from '@platform/contracts';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { ApiError } from '../http/errors';
import { type OAuthApplicationRow, toOAuthApplicationRow } from '../read-models/oauth-applications.projection';

export const applicationNotFound = () => new ApiError(HttpStatus.NOT_FOUND, ErrorCodes.oauthApplicationNotFound, 'No such application.');

/** Queries over the gateway's application read model. */
@Injectable()
export class ApplicationsRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
  ) {}

  async byId(applicationId: string): Promise<OAuthApplicationRow | undefined> {
    const { rows } = await this.pool.query(`SELECT * FROM "${this.schema}".oauth_applications WHERE application_id = $1 AND status <> 'deleted'`, [applicationId]);
    return rows[0] && toOAuthApplicationRow(rows[0]);
  }

  async byClientId(clientId: string): Promise<OAuthApplicationRow | undefined> {
    const { rows } = await this.pool.query(`SELECT * FROM "${this.schema}".oauth_applications WHERE client_id = $1 AND status <> 'deleted'`, [clientId]);
    return rows[0] && toOAuthApplicationRow(rows[0]);
  }

  /** The profile's own application, or 404 — another profile's application is not revealed to exist. */
  async owned(applicationId: string, profileId: string): Promise<OAuthApplicationRow> {
    const application = applicationId.length <= 64 ? await this.byId(applicationId) : undefined;
    if (!application || application.profileId !== profileId) throw applicationNotFound();
    return application;
  }

  async listFor(profileId: string): Promise<OAuthApplicationRow[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM "${this.schema}".oauth_applications WHERE profile_id = $1 AND status <> 'deleted' ORDER BY created_at, application_id`,
      [profileId],
    );
    return rows.map(toOAuthApplicationRow);
  }
}
