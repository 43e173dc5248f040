import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { ErrorCodes } from '@platform/contracts';
import { PG_POOL } from '@platform/service-runtime';
import { CHANNELS, PgNotifications } from '../commands/pg-notifications';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { ApiError } from '../http/errors';
import { type OAuthApplicationRow, toOAuthApplicationRow } from '../read-models/oauth-applications.projection';

export const applicationNotFound = () => new ApiError(HttpStatus.NOT_FOUND, ErrorCodes.oauthApplicationNotFound, 'No such application.');

const MAX_CACHED = 10_000;

/**
 * Queries over the gateway's application read model. Rows found by id or client id are kept in
 * memory per replica: the projection's transaction sends `application_changed` with every change
 * (rotation, revocation, deletion…), which evicts the row before the changing command's status
 * (notified later, in commit order) lets its caller go on. A lookup that overlapped an eviction does
 * not cache what it read, and a lost LISTEN connection clears the cache.
 */
@Injectable()
export class ApplicationsRepository {
  private readonly cache = new Map<string, OAuthApplicationRow>();
  private readonly idsByClientId = new Map<string, string>();
  private generation = 0;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    notifications: PgNotifications,
  ) {
    notifications.on(CHANNELS.applicationChanged, (applicationId) => this.evict(applicationId));
    notifications.onReconnect(() => this.evict());
  }

  async byId(applicationId: string): Promise<OAuthApplicationRow | undefined> {
    return this.cache.get(applicationId) ?? this.load('application_id', applicationId);
  }

  async byClientId(clientId: string): Promise<OAuthApplicationRow | undefined> {
    const applicationId = this.idsByClientId.get(clientId);
    return (applicationId && this.cache.get(applicationId)) || this.load('client_id', clientId);
  }

  private async load(column: 'application_id' | 'client_id', value: string): Promise<OAuthApplicationRow | undefined> {
    const generation = this.generation;
    const { rows } = await this.pool.query(`SELECT * FROM "${this.schema}".oauth_applications WHERE ${column} = $1 AND status <> 'deleted'`, [value]);
    const row = rows[0] && toOAuthApplicationRow(rows[0]);
    if (row && generation === this.generation) {
      if (this.cache.size >= MAX_CACHED) this.evict();
      this.cache.set(row.applicationId, row);
      this.idsByClientId.set(row.clientId, row.applicationId);
    }
    return row;
  }

  private evict(applicationId?: string): void {
    this.generation += 1;
    if (applicationId === undefined) {
      this.cache.clear();
      this.idsByClientId.clear();
      return;
    }
    const row = this.cache.get(applicationId);
    this.cache.delete(applicationId);
    if (row) this.idsByClientId.delete(row.clientId);
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
