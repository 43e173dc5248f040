import { Injectable } from '@nestjs/common';
import { CHANNELS, PgNotifications } from '../commands/pg-notifications';

export interface ProfilePrincipal {
  profileId: string;
  tokenId: string;
  expiresAt: string;
}

const MAX_ENTRIES = 50_000;

/**
 * Verified profile tokens by hash, so an authenticated request costs no database round trip.
 * Revocations arrive through PostgreSQL notifications sent in the read model's own transaction:
 * a replica drops the entry before it can see the revoking command succeed.
 */
@Injectable()
export class ProfileTokenCache {
  private readonly entries = new Map<string, ProfilePrincipal>();
  /** Bumped by every eviction: a lookup that overlapped one must not cache what it read. */
  private evictions = 0;

  get generation(): number {
    return this.evictions;
  }

  constructor(notifications: PgNotifications) {
    notifications.on(CHANNELS.tokenRevoked, (payload) => this.evict(payload));
    const forgetAll = () => {
      this.evictions += 1;
      this.entries.clear();
    };
    notifications.onReconnect(forgetAll);
    // entries cached while the connection was down may have missed their revocation
    notifications.onResume(forgetAll);
  }

  get(tokenHash: string, now = Date.now()): ProfilePrincipal | undefined {
    const entry = this.entries.get(tokenHash);
    if (entry && Date.parse(entry.expiresAt) <= now) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry;
  }

  set(tokenHash: string, principal: ProfilePrincipal, generation: number): void {
    if (generation !== this.evictions) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(tokenHash, principal);
  }

  /** A token this replica just revoked: gone before the revocation is answered (the others drop it on the NOTIFY). */
  forget(tokenHash: string): void {
    this.evict(tokenHash);
  }

  private evict(payload: string): void {
    this.evictions += 1;
    if (!payload.startsWith('profile:')) {
      this.entries.delete(payload);
      return;
    }
    const profileId = payload.slice('profile:'.length);
    for (const [hash, principal] of this.entries) if (principal.profileId === profileId) this.entries.delete(hash);
  }
}
