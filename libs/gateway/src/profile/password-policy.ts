import { HttpStatus } from '@nestjs/common';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { translations } from '@zxcvbn-ts/language-en';
import { ErrorCodes } from '@platform/contracts';
import { ApiError } from '../http/errors';

// English sentences for the warning and suggestions (without them zxcvbn-ts returns keys such as "simpleRepeat").
const estimator = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, translations });

/** 12–128 characters (the DTO) and zxcvbn score 3 or more ("safely unguessable"), the username counting as known. */
export const MIN_PASSWORD_SCORE = 3;

export function assertStrongPassword(password: string, username?: string): void {
  const { score, feedback } = estimator.check(password, username ? [username] : []);
  if (score >= MIN_PASSWORD_SCORE) return;
  throw new ApiError(
    HttpStatus.BAD_REQUEST,
    ErrorCodes.profileWeakPassword,
    feedback.warning ?? 'The password is too easy to guess; use a longer passphrase.',
    { score, minimumScore: MIN_PASSWORD_SCORE, suggestions: feedback.suggestions },
  );
}
