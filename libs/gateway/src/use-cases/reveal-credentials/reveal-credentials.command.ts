import { HttpStatus } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { type Actor, type ClientType, ErrorCodes } from '@platform/contracts';
import { ApiError } from '../../http/errors';
import { sha256 } from '../../http/profile-auth';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';

export interface RevealedCredentials {
  /** The application as the read model knew it before the reveal; absent for one registered just now. */
  application?: OAuthApplicationRow;
  clientSecret: string | null;
}

/**
 * The owner reads the client credentials once. `justRegistered` names an application whose
 * registration has just completed and that the read model may not show yet.
 */
export class RevealCredentialsCommand extends Command<RevealedCredentials> {
  constructor(
    readonly applicationId: string,
    readonly profileId: string,
    readonly actor: Actor,
    readonly justRegistered?: { clientType: ClientType },
  ) {
    super();
  }
}

export const alreadyRevealed = () =>
  new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, ErrorCodes.oauthAlreadyRetrieved, 'The credentials were already retrieved; rotate the secret to read a new one.');

/**
 * The secret is created at the moment it is read (256 random bits, URL-safe) and only its SHA-256 is
 * recorded, so no copy of it exists anywhere afterwards. A public client has none.
 */
export const newClientSecret = (clientType: ClientType): { clientSecret: string | null; clientSecretHash: string | null } => {
  if (clientType === 'public') return { clientSecret: null, clientSecretHash: null };
  const clientSecret = randomBytes(32).toString('base64url');
  return { clientSecret, clientSecretHash: sha256(clientSecret) };
};
