export type BusLogLevel = 'error' | 'warn' | 'info' | 'debug';
/** Where the adapters report handler failures and client trouble (defaults to the console). */
export type BusLogger = (level: BusLogLevel, message: string, error?: unknown) => void;

export function consoleBusLogger(prefix: string): BusLogger {
  return (level, message, error) => {
    const line = `[${prefix}] ${level.toUpperCase()} ${message}`;
    const detail = error instanceof Error ? error.message : (error ?? '');
    if (level === 'error') console.error(line, detail);
    else if (level === 'warn') console.warn(line, detail);
    else console.log(line, detail);
  };
}
