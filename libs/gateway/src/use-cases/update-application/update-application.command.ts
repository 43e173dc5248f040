import { HttpStatus } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import { type Actor, ErrorCodes, type OAuthApplicationChanges } from '@platform/contracts';
import { ApiError } from '../../http/errors';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';

export interface UpdatedApplication {
  commandId: string;
  /** The application as it is once the update succeeded (`completed` only). */
  application?: OAuthApplicationRow;
}

/** `accepted`: the command is on its way (Privicore's 202); `completed`: it has succeeded (the seed API's 200). */
export class UpdateApplicationCommand extends Command<UpdatedApplication> {
  constructor(
    readonly applicationId: string,
    readonly profileId: string,
    readonly actor: Actor,
    readonly changes: OAuthApplicationChanges,
    readonly completion: 'accepted' | 'completed',
  ) {
    super();
  }
}

/** The changes actually given, duplicates removed; an update that changes nothing is bad input. */
export const applicationChanges = (changes: OAuthApplicationChanges): OAuthApplicationChanges => {
  const given: OAuthApplicationChanges = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  if (given.redirectUris) given.redirectUris = [...new Set(given.redirectUris)];
  if (given.scopes) given.scopes = [...new Set(given.scopes)];
  if (Object.keys(given).length === 0) {
    throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.validation, 'Give at least one field to change.', [{ field: 'body', problems: ['nothing to update'] }]);
  }
  return given;
};
