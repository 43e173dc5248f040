import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, runApp, waitForHealthy } from '../../support/processes';

/** The embedded system (`npm start`) in a child process, on its own data dir, restartable after a crash. */
export class EmbeddedApp {
  private app?: ReturnType<typeof runApp>;
  baseUrl = '';
  private outputBefore = '';

  constructor(private readonly dataDir: string) {}

  async start(): Promise<void> {
    const port = await freePort();
    this.baseUrl = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      ISSUER: this.baseUrl,
      DATA_DIR: this.dataDir,
      LOG_LEVEL: 'warn',
      // Refusals by the brute-force limiter would keep the fuzzer away from the code behind it.
      AUTH_ATTEMPTS_PER_CLIENT: '100000',
      AUTH_FREE_FAILURES: '100000',
      REGISTRATIONS_PER_CLIENT: '100000',
    };
    delete env.DATABASE_URL;
    delete env.KAFKA_BROKERS;
    this.app = runApp('embedded', env);
    try {
      await waitForHealthy(this.baseUrl, this.app.child, 120_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${this.app.output()}`);
    }
  }

  get alive(): boolean {
    return this.app?.child.exitCode === null && this.app.child.signalCode === null;
  }

  get exitDescription(): string {
    const child = this.app?.child;
    return child ? `exit code ${child.exitCode}, signal ${child.signalCode}` : 'not started';
  }

  /** Everything the app printed, over its restarts. */
  output(): string {
    return this.outputBefore + (this.app?.output() ?? '');
  }

  /** How much the current process has printed so far: a mark for `errorsSince`. */
  mark(): number {
    return this.app?.output().length ?? 0;
  }

  /** The first line of each error the app logged (pino level ≥ 50) since a mark. */
  async errorsSince(mark: number): Promise<string[]> {
    await new Promise((settle) => setTimeout(settle, 30));
    const lines = (this.app?.output() ?? '').slice(mark).split('\n');
    return lines.flatMap((line) => {
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string; type?: string } };
        if ((entry.level ?? 0) < 50) return [];
        return [String(entry.err ? `${entry.err.type}: ${entry.err.message}` : entry.msg).split('\n')[0].slice(0, 200)];
      } catch {
        return [];
      }
    });
  }

  /** The end of what the current process printed: where a crash shows its stack. */
  tail(chars = 2_500): string {
    return (this.app?.output() ?? '').slice(-chars);
  }

  /** After a crash: start again on the same data (the embedded PostgreSQL is reused). */
  async restart(): Promise<void> {
    this.outputBefore += this.app?.output() ?? '';
    await this.app?.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    await this.app?.stop();
  }

  async healthy(): Promise<boolean> {
    try {
      return (await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(10_000) })).status === 200;
    } catch {
      return false;
    }
  }

  /**
   * The embedded database: the URL the app prints, if it prints one; else the port PostgreSQL wrote to
   * its postmaster.pid (4th line) with the embedded cluster's default credentials.
   */
  databaseUrl(): string {
    const printed = this.app?.output().match(/postgres(?:ql)?:\/\/[^\s'"`)]+/);
    if (printed && !printed[0].includes('***')) return printed[0];
    const pidFile = join(this.dataDir, 'postgres', 'postmaster.pid');
    if (!existsSync(pidFile)) throw new Error(`cannot find the embedded database: no URL printed and no ${pidFile}`);
    const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
    return `postgres://postgres:postgres@127.0.0.1:${port}/platform`;
  }
}
