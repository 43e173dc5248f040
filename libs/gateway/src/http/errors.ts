import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorCodes } from '@platform/contracts';

/** Privicore-dialect error body: a stable code, a human message, optional details. */
export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

export class ApiError extends HttpException {
  constructor(status: HttpStatus, code: string, message: string, details?: unknown) {
    super({ error: code, message, ...(details === undefined ? {} : { details }) } satisfies ErrorBody, status);
  }
}

export const unauthorized = (message = 'A valid X-DPT-AUTHORIZATION token is required.') =>
  new ApiError(HttpStatus.UNAUTHORIZED, ErrorCodes.unauthorized, message);
export const notFound = (message = 'Not found.') => new ApiError(HttpStatus.NOT_FOUND, ErrorCodes.notFound, message);
