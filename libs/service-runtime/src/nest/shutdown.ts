import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';

/** Set when the app starts shutting down, before HTTP closes: readiness answers 503 from then on. */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  draining = false;

  beforeApplicationShutdown(): void {
    this.draining = true;
  }
}

/** Shutdown must finish within this budget after SIGTERM/SIGINT; past it the process exits anyway. */
export const SHUTDOWN_BUDGET_MS = 10_000;

/**
 * Arms a timer on the first SIGTERM/SIGINT that ends the process if the orderly shutdown (Nest's hooks, or
 * the caller's own) has not finished within `budgetMs`: one stuck socket or consumer must not hold it.
 */
export function exitIfShutdownOverruns(budgetMs = SHUTDOWN_BUDGET_MS): void {
  const arm = (signal: NodeJS.Signals) => {
    const timer = setTimeout(() => {
      new Logger('Shutdown').error(`still running ${budgetMs} ms after ${signal}: exiting`);
      process.exit(1);
    }, budgetMs);
    timer.unref();
  };
  process.once('SIGTERM', arm);
  process.once('SIGINT', arm);
}
