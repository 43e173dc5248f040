import { alternate, type Figures, repeat, type RunOptions } from './compare';
import { commandLoad } from './commands';
import { clientCredentialsAt, FORM, form, type Target } from './load';
import { type Peer, JWT_RESOURCE, startArgon2Server, startTokenFloor } from './peer';
import { type Account, clientCredentialsToken, type Platform, storedPasswordHash } from './platform';
import { seedTokenEvents } from './store';
import { describeFigures } from './table';

export const ROW_IDS = [
  'client_credentials_embedded',
  'client_credentials_stack',
  'introspection',
  'commands_throughput',
  'commands_fixed_rate',
  'authenticate',
  'large_store',
] as const;
export type RowId = (typeof ROW_IDS)[number];
export const EMBEDDED_ROWS: RowId[] = ['client_credentials_embedded', 'introspection', 'authenticate', 'large_store'];
export const STACK_ROWS: RowId[] = ['client_credentials_stack', 'commands_throughput', 'commands_fixed_rate'];
export const PEER_ROWS: RowId[] = ['client_credentials_embedded', 'client_credentials_stack', 'introspection'];

export interface RowResult {
  id: RowId;
  title: string;
  ours?: Figures;
  /** What the peer column holds (node-oidc-provider, raw argon2id, the same platform at 10k events). */
  peerName?: string;
  peer?: Figures;
  /** ours.rate / peer.rate, or the row's own figure where there is no peer. */
  ratio?: number;
  target: string;
  met?: boolean;
  notes?: string[];
  error?: string;
}

export interface BenchOptions extends RunOptions {
  /** The authenticate row's connections, both sides: argon2id runs on libuv's 4 threads, so 64 would only queue. */
  authConnections: number;
  fixedRate: number;
  largeStoreEvents: number;
  smallStoreEvents: number;
  drainMs: number;
  /** Paced commands (200/s) run on a fresh stack before its first row: its Kafka broker is a new JVM that compiles its hot paths under load. */
  stackWarmupSeconds: number;
}

export interface RowContext {
  platform: Platform;
  account: Account;
  peer?: Peer;
  options: BenchOptions;
  progress: (line: string) => void;
}

export const clientCredentials = (platform: Platform, account: Account): Target => clientCredentialsAt(`${platform.url}/oauth/token`, account.clientAuthorization);

export const peerClientCredentials = (peer: Peer): Target => clientCredentialsAt(`${peer.url}/token`, peer.clientAuthorization, { resource: JWT_RESOURCE });

const versusPeer = (id: RowId, title: string, figures: { ours: Figures; peer: Figures }, minRatio: number, maxP99?: number): RowResult => {
  const ratio = figures.ours.rate / figures.peer.rate;
  const p99Met = maxP99 === undefined || figures.ours.p99 <= maxP99;
  return {
    id,
    title,
    ...figures,
    peerName: 'node-oidc-provider',
    ratio,
    target: `≥ ${minRatio}×${maxP99 === undefined ? '' : `, p99 ≤ ${maxP99} ms`}`,
    met: ratio >= minRatio && p99Met,
  };
};

async function clientCredentialsRow(id: RowId, context: RowContext): Promise<RowResult> {
  const { platform, account, peer, options, progress } = context;
  const figures = await alternate(clientCredentials(platform, account), peerClientCredentials(peer!), options, progress);
  // Row 1 carries the latency target too, and the floor beside it; the stack row is held to the same ratio.
  const embedded = id === 'client_credentials_embedded';
  const row = versusPeer(id, `client_credentials, ${platform.kind} vs node-oidc-provider (ES256 JWT both)`, figures, 1.5, embedded ? 50 : undefined);
  return embedded ? { ...row, notes: [await floorNote(context)] } : row;
}

/**
 * What a server does that only authenticates, signs and records one row per token (peers/token-floor.ts),
 * in its own alternation with the peer after the row's: its writes then never precede one of our runs.
 */
async function floorNote(context: RowContext): Promise<string> {
  const { platform, peer, options, progress } = context;
  try {
    const floor = await startTokenFloor(platform.databaseUrl);
    try {
      const figures = await alternate(floor.target, peerClientCredentials(peer!), options, (line) => progress(line.replace('ours', 'floor')));
      return `floor (node:http, jose ES256, one row per token group-committed in the same PostgreSQL, no framework): ${describeFigures(figures.ours)} vs ${describeFigures(figures.peer)} → ${(figures.ours.rate / figures.peer.rate).toFixed(2)}× the peer`;
    } finally {
      await floor.stop();
    }
  } catch (error) {
    return `floor not measured: ${(error as Error).message.split('\n')[0]}`;
  }
}

async function introspectionRow(context: RowContext): Promise<RowResult> {
  const { platform, account, peer, options, progress } = context;
  const ours: Target = {
    url: `${platform.url}/oauth/introspect`,
    headers: { ...FORM, authorization: account.clientAuthorization },
    body: form({ token: await clientCredentialsToken(platform, account) }),
    verifyBody: (body) => body.includes('"active":true'),
  };
  const theirs: Target = {
    url: `${peer!.url}/token/introspection`,
    headers: { ...FORM, authorization: peer!.clientAuthorization },
    body: form({ token: await peer!.opaqueToken() }),
    verifyBody: (body) => body.includes('"active":true'),
  };
  const figures = await alternate(ours, theirs, options, progress);
  return versusPeer('introspection', 'introspection: our JWT vs its opaque token', figures, 1.5);
}

export const signIn = (platform: Platform, account: Account): Target => ({
  url: `${platform.url}/profile/authenticate`,
  headers: FORM,
  body: form({ username: account.username, password: account.password }),
  verifyBody: (body) => body.includes('"authorizationToken"'),
});

export const bareArgon2Verify = (url: string, account: Account): Target => ({ url, headers: FORM, body: form({ password: account.password }), verifyBody: (body) => body.includes('"ok":true') });

async function authenticateRow(context: RowContext): Promise<RowResult> {
  const { platform, account, options, progress } = context;
  const hash = await storedPasswordHash(platform, account);
  const argon2 = await startArgon2Server(hash);
  try {
    const figures = await alternate(signIn(platform, account), bareArgon2Verify(argon2.url, account), { ...options, connections: options.authConnections }, progress);
    const ratio = figures.ours.rate / figures.peer.rate;
    const parameters = hash.split('$')[3];
    return {
      id: 'authenticate',
      title: `POST /profile/authenticate vs bare argon2id verify over HTTP (${parameters}), ${options.authConnections} connections each`,
      ...figures,
      peerName: 'argon2id only',
      ratio,
      target: '≥ 0.8×',
      met: ratio >= 0.8,
    };
  } finally {
    await argon2.stop();
  }
}

async function largeStoreRow(context: RowContext): Promise<RowResult> {
  const { platform, account, options, progress } = context;
  const target = clientCredentials(platform, account);
  const notes: string[] = [];
  const seed = async (total: number) => {
    const { added, ms } = await seedTokenEvents(platform, total);
    const line = `seeded ${added} token events (to ${total}) in ${(ms / 1000).toFixed(1)} s`;
    progress(`  ${line}`);
    notes.push(line);
  };
  await seed(options.smallStoreEvents);
  const small = await repeat(target, options, progress);
  await seed(options.largeStoreEvents);
  const large = await repeat(target, options, progress);
  const ratio = large.rate / small.rate;
  return {
    id: 'large_store',
    title: `client_credentials (${platform.kind}) with ${options.largeStoreEvents.toLocaleString('en')} events vs ${options.smallStoreEvents.toLocaleString('en')}`,
    ours: large,
    peer: small,
    peerName: `same, ${options.smallStoreEvents.toLocaleString('en')} events`,
    ratio,
    target: '≥ 0.9×',
    met: ratio >= 0.9,
    notes,
  };
}

async function commandsThroughputRow(context: RowContext): Promise<RowResult> {
  const { platform, account, options } = context;
  const figures = await commandLoad(platform, account, { connections: options.connections, seconds: options.seconds, drainMs: options.drainMs });
  return {
    id: 'commands_throughput',
    title: `register OAuth application, ${options.connections} connections: 202 → succeeded (WebSocket push, bench clock)`,
    ours: { rate: figures.rate, p50: figures.p50, p99: figures.p99, errors: figures.errors + figures.failed, non2xx: figures.non2xx },
    ratio: figures.rate,
    target: '≥ 2000/s',
    met: figures.rate >= 2000,
    notes: [`${figures.accepted} accepted (${figures.acceptedRate.toFixed(0)}/s), ${figures.succeeded} succeeded, ${figures.failed} not succeeded`],
  };
}

async function commandsFixedRateRow(context: RowContext): Promise<RowResult> {
  const { platform, account, options } = context;
  const figures = await commandLoad(platform, account, { connections: options.connections, seconds: options.seconds, overallRate: options.fixedRate, drainMs: options.drainMs });
  const complete = figures.failed === 0 && figures.non2xx === 0 && figures.errors === 0;
  return {
    id: 'commands_fixed_rate',
    title: `register OAuth application at ${options.fixedRate}/s: p99 of 202 → succeeded`,
    ours: { rate: figures.rate, p50: figures.p50, p99: figures.p99, errors: figures.errors + figures.failed, non2xx: figures.non2xx },
    ratio: figures.p99,
    target: 'p99 ≤ 50 ms',
    met: complete && figures.p99 <= 50,
    notes: [`offered ${options.fixedRate}/s, accepted ${figures.acceptedRate.toFixed(0)}/s: ${figures.accepted} accepted, ${figures.succeeded} succeeded, ${figures.failed} not succeeded`],
  };
}

export const ROWS: Record<RowId, (context: RowContext) => Promise<RowResult>> = {
  client_credentials_embedded: (context) => clientCredentialsRow('client_credentials_embedded', context),
  client_credentials_stack: (context) => clientCredentialsRow('client_credentials_stack', context),
  introspection: introspectionRow,
  commands_throughput: commandsThroughputRow,
  commands_fixed_rate: commandsFixedRateRow,
  authenticate: authenticateRow,
  large_store: largeStoreRow,
};
