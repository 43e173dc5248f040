import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ErrorCodes } from '@platform/contracts';
import { usesAuthorizationScheme } from '../http/authorization-header';
import { basicCredentials, ClientAuthentication, InvalidClientError } from './client-authentication';
import { OAuthError } from './token-issuer';
import type { OAuthApplicationRow } from '../read-models/oauth-applications.projection';

export interface ClientFields {
  client_id?: string;
  client_secret?: string;
}

/**
 * client_secret_basic (RFC 6749 §2.3.1: the id and secret are form-encoded before base64) or
 * client_secret_post; a public client sends only its client_id. Using both methods at once is refused.
 */
@Injectable()
export class StandardClientAuthentication {
  constructor(private readonly clients: ClientAuthentication) {}

  async authenticate(request: FastifyRequest, body: ClientFields): Promise<OAuthApplicationRow> {
    const usesBasic = usesAuthorizationScheme(request, 'basic');
    const basic = usesBasic ? basicCredentials(request, true) : undefined;
    if (usesBasic && !basic) throw new InvalidClientError();
    if (basic && body.client_secret) throw new OAuthError(ErrorCodes.oauthInvalidRequest, 'Use one client authentication method.');
    if (basic && body.client_id && body.client_id !== basic.id) throw new OAuthError(ErrorCodes.oauthInvalidRequest, 'client_id does not match the credentials.');
    const clientId = basic?.id ?? body.client_id;
    const secret = basic?.secret ?? body.client_secret;
    return this.clients.authenticate(clientId, secret || undefined);
  }
}
