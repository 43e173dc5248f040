import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BruteForceLimits } from '../http/brute-force';
import { type Credentials, CredentialsRepository } from './credentials.repository';
import { decoyHash, verifyPassword } from './password-hashing';

export type PasswordCheck =
  | { outcome: 'accepted'; profile: Credentials }
  | { outcome: 'rejected' }
  | { outcome: 'throttled'; retryAfterSeconds: number };

/**
 * The one password check of the gateway (authenticate, the login page, change-password): the
 * client address's budget, then the username's failure budget, then exactly one argon2id
 * verification whether or not the username exists. A throttled attempt checks no password.
 */
@Injectable()
export class PasswordAttempts implements OnModuleInit {
  constructor(
    private readonly limits: BruteForceLimits,
    private readonly credentials: CredentialsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await decoyHash();
  }

  async signIn(clientAddress: string, username: string, password: string): Promise<PasswordCheck> {
    // The credentials are read in the claim's statement: one round trip.
    const { wait, alongside: profile } = await this.limits.attempt<Credentials>(clientAddress, username, this.credentials.byUsernameAlongside(username));
    if (wait !== undefined) return { outcome: 'throttled', retryAfterSeconds: wait };
    return this.verify(username, profile, password);
  }

  /** Change-password's check of the current password, on the same budget as signing in. */
  async currentPassword(clientAddress: string, profileId: string, profile: Credentials | undefined, password: string): Promise<PasswordCheck> {
    const username = profile?.username ?? profileId;
    const wait = await this.claim(clientAddress, username);
    if (wait !== undefined) return { outcome: 'throttled', retryAfterSeconds: wait };
    return this.verify(username, profile, password);
  }

  private async claim(clientAddress: string, username: string): Promise<number | undefined> {
    return (await this.limits.attempt(clientAddress, username)).wait;
  }

  private async verify(username: string, profile: Credentials | undefined, password: string): Promise<PasswordCheck> {
    if (!(await verifyPassword(profile?.passwordHash, password)) || !profile) return { outcome: 'rejected' };
    await this.limits.succeeded(username);
    return { outcome: 'accepted', profile };
  }
}
