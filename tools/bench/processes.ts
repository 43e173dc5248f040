import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

export interface Child {
  name: string;
  pid: number;
  /** The last lines of its output, for an error message. */
  tail(): string;
  /** Resolves with the port of the first stdout line `{"port":N}` (how the peers announce themselves). */
  announced: Promise<number>;
  hasExited(): boolean;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => killGroup(child, 'SIGKILL')));

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal); // the child leads its own group: its helpers (postgres) go too
  } catch {
    child.kill(signal);
  }
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Starts `node <script>` in its own process group; stop() sends SIGTERM to that group (SIGKILL after 20 s). */
export function startChild(name: string, script: string, env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  const lines: string[] = [];
  let announce: (port: number) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const announced = new Promise<number>((resolve, reject) => ((announce = resolve), (fail = reject)));
  announced.catch(() => undefined);
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      lines.push(line);
      if (lines.length > 40) lines.shift();
      const port = stream === child.stdout && /^\{"port":(\d+)\}$/.exec(line)?.[1];
      if (port) announce(Number(port));
    });
  }
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      fail(new Error(`${name} exited (code ${code}, signal ${signal}) before it was ready\n${lines.join('\n')}`));
      resolve();
    }),
  );
  const stop = async () => {
    if (hasExited()) return;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  return { name, pid: child.pid!, tail: () => lines.join('\n'), announced, hasExited, stop };
}

export async function waitHealthy(url: string, child: Child, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.hasExited()) throw new Error(`${child.name} exited before it was healthy\n${child.tail()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${child.name}: ${url} not healthy after ${timeoutMs} ms\n${child.tail()}`);
}
