import { HttpStatus, RequestMethod, type Type, UseInterceptors } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { IdempotencyInterceptor } from './idempotency.interceptor';

const WRITES = new Set([RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE]);

const routeHandlers = (controller: Type): ((...args: unknown[]) => unknown)[] =>
  Object.getOwnPropertyNames(controller.prototype)
    .map((name) => (controller.prototype as Record<string, unknown>)[name])
    .filter((member): member is (...args: unknown[]) => unknown => typeof member === 'function' && Reflect.hasMetadata(METHOD_METADATA, member));

const isUnderOApps = (controller: Type): boolean => {
  const paths = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined].flat();
  return paths.some((path) => path !== undefined && /^\/?o\/apps(\/|$)/.test(path));
};

/** Whether a controller has a route `Idempotency-Key` applies to (DESIGN §9): a `202` command or a write under `/o/apps/`. */
export const hasIdempotentWrites = (controller: Type): boolean =>
  routeHandlers(controller).some(
    (handler) =>
      Reflect.getMetadata(HTTP_CODE_METADATA, handler) === HttpStatus.ACCEPTED ||
      (isUnderOApps(controller) && WRITES.has(Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod)),
  );

/**
 * Puts the idempotency interceptor on exactly the controllers that have such a route, found from their
 * metadata rather than listed: a global interceptor would put every other route (the token and
 * introspection endpoints among them) through Nest's interceptor pipeline for nothing.
 */
export function withIdempotentWrites<T extends Type[]>(controllers: T): T {
  for (const controller of controllers) if (hasIdempotentWrites(controller)) UseInterceptors(IdempotencyInterceptor)(controller);
  return controllers;
}
