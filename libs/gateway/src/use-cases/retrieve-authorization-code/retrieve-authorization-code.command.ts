import { HttpStatus } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import { ErrorCodes } from '@platform/contracts';
import { ApiError } from '../../http/errors';
import { sha256 } from '../../http/profile-auth';
import type { GrantRow } from '../../read-models/grants.projection';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';

export interface RetrievedCode {
  authorizationCode: string;
  expiresAt: string;
}

/** The authenticated client collects the code of a request the profile made (`grantId` is its command id). */
export class RetrieveAuthorizationCodeCommand extends Command<RetrievedCode> {
  constructor(
    readonly client: OAuthApplicationRow,
    readonly grantId: string,
    readonly nonce: string,
  ) {
    super();
  }
}

/** Another client's request is not found; a wrong nonce is refused and burns nothing; a code is issued once. */
export const retrievable = (grant: GrantRow | undefined, clientId: string, nonce: string): GrantRow & { nonceHash: string } => {
  if (!grant || grant.clientId !== clientId) throw new ApiError(HttpStatus.NOT_FOUND, ErrorCodes.notFound, 'No such authorization request for this client.');
  if (grant.nonceHash !== sha256(nonce)) throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.oauthInvalidNonce, 'The nonce does not match the request.');
  if (grant.status !== 'requested') throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, ErrorCodes.oauthAlreadyRetrieved, 'The code was already retrieved.');
  return { ...grant, nonceHash: grant.nonceHash };
};
