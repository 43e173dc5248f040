import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { type DataSource, Not, type Repository } from 'typeorm';
import { ErrorCodes } from '@platform/contracts';
import { GATEWAY_DATA_SOURCE } from '../database/gateway-data-source';
import { OAuthApplicationEntity } from '../database/entities';
import { ApiError } from '../http/errors';
import type { OAuthApplicationRow } from '../read-models/oauth-applications.projection';

export const applicationNotFound = () => new ApiError(HttpStatus.NOT_FOUND, ErrorCodes.oauthApplicationNotFound, 'No such application.');

const live = Not('deleted' as const);

/** Queries over the gateway's application read model; a deleted application is not found. */
@Injectable()
export class ApplicationsRepository {
  private readonly applications: Repository<OAuthApplicationRow>;

  constructor(@Inject(GATEWAY_DATA_SOURCE) dataSource: DataSource) {
    this.applications = dataSource.getRepository(OAuthApplicationEntity);
  }

  async byId(applicationId: string): Promise<OAuthApplicationRow | undefined> {
    return (await this.applications.findOneBy({ applicationId, status: live })) ?? undefined;
  }

  async byClientId(clientId: string): Promise<OAuthApplicationRow | undefined> {
    return (await this.applications.findOneBy({ clientId, status: live })) ?? undefined;
  }

  /** The profile's own application, or 404 — another profile's application is not revealed to exist. */
  async owned(applicationId: string, profileId: string): Promise<OAuthApplicationRow> {
    const application = applicationId.length <= 64 ? await this.byId(applicationId) : undefined;
    if (!application || application.profileId !== profileId) throw applicationNotFound();
    return application;
  }

  listFor(profileId: string): Promise<OAuthApplicationRow[]> {
    return this.applications.find({ where: { profileId, status: live }, order: { createdAt: 'ASC', applicationId: 'ASC' } });
  }
}
