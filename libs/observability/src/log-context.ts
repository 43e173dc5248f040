import { AsyncLocalStorage } from 'node:async_hooks';
import { activeTraceIds } from './tracing';

const correlation = new AsyncLocalStorage<string>();

/** Runs `work` with `correlationId` attached to every log line it writes. */
export const withCorrelationId = <T>(correlationId: string | undefined, work: () => T): T =>
  correlationId ? correlation.run(correlationId, work) : work();

export const currentCorrelationId = (): string | undefined => correlation.getStore();

/** A pino mixin: the correlation id, trace id and span id of whatever the line was logged in. */
export const logContext = (): Record<string, string> => {
  const correlationId = currentCorrelationId();
  return { ...(correlationId ? { correlationId } : {}), ...activeTraceIds() };
};
