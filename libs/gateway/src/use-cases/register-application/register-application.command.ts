import { Command } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import type { Actor, ClientType, RegisterOAuthApplication } from '@platform/contracts';

export const ACCESS_TOKEN_TTL = { default: 900, min: 60, max: 900 };
export const REFRESH_TOKEN_TTL = { default: 2_592_000, min: 60, max: 2_592_000 };

/** 32 URL-safe characters. */
export const newClientId = (): string => randomBytes(24).toString('base64url');

export interface ApplicationRegistration {
  name: string;
  clientType?: ClientType;
  redirectUris: string[];
  scopes: string[];
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
}

export interface RegisteredApplication {
  applicationId: string;
  clientId: string;
  clientType: ClientType;
}

/**
 * `accepted`: the command is on its way (Privicore's 202); `completed`: it has succeeded (the seed
 * API answers with the application at once).
 */
export class RegisterApplicationCommand extends Command<RegisteredApplication> {
  constructor(
    readonly profileId: string,
    readonly actor: Actor,
    readonly registration: ApplicationRegistration,
    readonly completion: 'accepted' | 'completed',
  ) {
    super();
  }
}

/** The contract command for a registration: confidential and the longest lifetimes unless asked otherwise. */
export const registerOAuthApplication = (
  ids: { applicationId: string; clientId: string },
  profileId: string,
  registration: ApplicationRegistration,
): RegisterOAuthApplication => ({
  type: 'RegisterOAuthApplication',
  applicationId: ids.applicationId,
  profileId,
  name: registration.name,
  clientId: ids.clientId,
  clientType: registration.clientType ?? 'confidential',
  redirectUris: [...new Set(registration.redirectUris)],
  scopes: registration.scopes,
  accessTokenTtlSeconds: registration.accessTokenTtlSeconds ?? ACCESS_TOKEN_TTL.default,
  refreshTokenTtlSeconds: registration.refreshTokenTtlSeconds ?? REFRESH_TOKEN_TTL.default,
});
