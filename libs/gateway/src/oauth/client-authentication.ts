import { HttpStatus, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ErrorCodes } from '@platform/contracts';
import { authorizationCredentials } from '../http/authorization-header';
import { ApiError } from '../http/errors';
import { sha256 } from '../http/profile-auth';
import { isStorableText } from '../http/storable-text';
import { ApplicationsRepository } from '../oauth-app/applications.repository';
import type { OAuthApplicationRow } from '../read-models/oauth-applications.projection';

export class InvalidClientError extends ApiError {
  constructor(message = 'Client authentication failed.') {
    super(HttpStatus.UNAUTHORIZED, ErrorCodes.oauthInvalidClient, message);
  }
}

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * `Basic base64(id:secret)`; `formEncoded` applies RFC 6749 §2.3.1 (each part form-url-encoded first).
 * A part that is not storable text (NUL, ill-formed Unicode) is no credential at all.
 */
export const basicCredentials = (request: FastifyRequest, formEncoded: boolean): { id: string; secret: string } | undefined => {
  const encoded = authorizationCredentials(request, 'basic');
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return undefined;
  const decode = (part: string) => (formEncoded && /[%+]/.test(part) ? decodeURIComponent(part.replace(/\+/g, ' ')) : part);
  try {
    const credentials = { id: decode(decoded.slice(0, separator)), secret: decode(decoded.slice(separator + 1)) };
    return isStorableText(credentials.id) && isStorableText(credentials.secret) ? credentials : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The current secret, or the previous one until its grace period ends (judged at `now`, the request's
 * time). Both hashes are compared, so the time taken does not tell which one matched.
 */
export const secretMatches = (
  application: Pick<OAuthApplicationRow, 'clientSecretHash' | 'previousSecretHash' | 'previousSecretExpiresAt'>,
  clientSecret: string,
  now: number,
): boolean => {
  const presented = sha256(clientSecret);
  const current = application.clientSecretHash !== null && sameHash(presented, application.clientSecretHash);
  const previousLive = application.previousSecretExpiresAt !== null && Date.parse(application.previousSecretExpiresAt) > now;
  const previous = application.previousSecretHash !== null && sameHash(presented, application.previousSecretHash);
  return current || (previous && previousLive);
};

/** Client secrets are 256-bit random strings, so a SHA-256 comparison is both safe and cheap. */
@Injectable()
export class ClientAuthentication {
  constructor(private readonly applications: ApplicationsRepository) {}

  async authenticate(clientId: string | undefined, clientSecret: string | undefined, now = Date.now()): Promise<OAuthApplicationRow> {
    if (!clientId || clientId.length > 128) throw new InvalidClientError();
    const application = await this.applications.byClientId(clientId);
    if (!application || application.status !== 'active') throw new InvalidClientError();
    if (application.clientType === 'public') {
      if (clientSecret) throw new InvalidClientError();
      return application;
    }
    if (!clientSecret || !secretMatches(application, clientSecret, now)) throw new InvalidClientError();
    return application;
  }
}
