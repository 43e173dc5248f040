import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, Repository } from 'typeorm';
import { GATEWAY_DATA_SOURCE } from '../database/gateway-data-source';
import { ProfileCredentialsEntity, type ProfileCredentialsRecord } from '../database/entities';

export interface Credentials {
  profileId: string;
  username: string;
  passwordHash: string;
}

const select = { profileId: true, username: true, passwordHash: true } as const;

/** The gateway's read model of usernames and password hashes. */
@Injectable()
export class CredentialsRepository {
  private readonly credentials: Repository<ProfileCredentialsRecord>;

  constructor(@Inject(GATEWAY_DATA_SOURCE) dataSource: DataSource) {
    this.credentials = dataSource.getRepository(ProfileCredentialsEntity);
  }

  /** Usernames match regardless of case (`username_key` is the lower-cased username). */
  async byUsername(username: string): Promise<Credentials | undefined> {
    return (await this.credentials.findOne({ select, where: { usernameKey: username.toLowerCase() } })) ?? undefined;
  }

  async byProfileId(profileId: string): Promise<Credentials | undefined> {
    return (await this.credentials.findOne({ select, where: { profileId } })) ?? undefined;
  }
}
