import { HttpStatus } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import { ErrorCodes, type RequestAuthorizationCode } from '@platform/contracts';
import { ApiError } from '../../http/errors';
import { sha256 } from '../../http/profile-auth';
import { grantApplicationOf } from '../../oauth/token-issuer';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';

/** Answers the grant id, which is the command id the application retrieves the code with. */
export class RequestAuthorizationCodeCommand extends Command<string> {
  constructor(
    readonly profileId: string,
    readonly clientId: string,
    readonly nonce: string,
    readonly scopes: string[],
  ) {
    super();
  }
}

/**
 * The profile authorizes an active application: the token context checks the scopes against the
 * application's and keeps the nonce single-use; only the nonce's hash leaves the gateway.
 */
export const requestAuthorizationCode = (
  grantId: string,
  { profileId, nonce, scopes }: RequestAuthorizationCodeCommand,
  application: OAuthApplicationRow | undefined,
): RequestAuthorizationCode => {
  if (!application || application.status !== 'active') {
    throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.oauthApplicationNotFound, 'Unknown or revoked client_id.');
  }
  return { type: 'RequestAuthorizationCode', grantId, profileId, application: grantApplicationOf(application), nonceHash: sha256(nonce), scopes };
};
