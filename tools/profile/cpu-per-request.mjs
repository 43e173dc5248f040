// node tools/profile/cpu-per-request.mjs <authenticate|client_credentials> [seconds=10] [runs=2]  (after npm run build)
// Where a request's CPU goes, beside the bench's peer for that row: starts the embedded app and the peer as
// the bench does (bare argon2id for a sign-in, node-oidc-provider for a client_credentials token), loads
// each in turn with the row's connections, and prints the CPU per request (µs, from /proc) of each
// server's main thread, its libuv pool, its other threads, its child processes (the embedded
// PostgreSQL), the load generator (this process) and the whole machine, then each side's rate over the peer's.
// The client_credentials row also loads the token floor (tools/bench/peers/token-floor.ts) twice: recording
// one row per token in the embedded app's PostgreSQL (that PostgreSQL's CPU then shows only in the machine
// figure), then without a record, so that the recording floor's writes never come just before our run.
// Unlike the bench, it does not pause between sides.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const require = createRequire(join(root, 'package.json'));
const { startEmbedded, createAccount, storedPasswordHash } = require(join(root, 'dist/tools/bench/platform.js'));
const { startArgon2Server, startOidcProvider, startTokenFloor } = require(join(root, 'dist/tools/bench/peer.js'));
const { load } = require(join(root, 'dist/tools/bench/load.js'));
const { bareArgon2Verify, clientCredentials, peerClientCredentials, signIn } = require(join(root, 'dist/tools/bench/rows.js'));
const [row = 'authenticate', seconds = '10', runs = '2'] = process.argv.slice(2);
if (!['authenticate', 'client_credentials'].includes(row)) throw new Error(`unknown row ${row}: authenticate or client_credentials`);
const TICKS_PER_MS = 100 / 1000; // USER_HZ

const readStat = (path) => {
  try {
    const text = readFileSync(path, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), user: Number(fields[11]) / TICKS_PER_MS, system: Number(fields[12]) / TICKS_PER_MS };
  } catch {
    return undefined; // the process or thread is gone
  }
};
const pids = () => readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number);

function descendants(pid) {
  const parents = new Map(pids().map((p) => [p, readStat(`/proc/${p}/stat`)?.ppid]));
  const found = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [p, parent] of parents) {
      if (found.has(p) || !found.has(parent)) continue;
      found.add(p);
      grew = true;
    }
  }
  found.delete(pid);
  return [...found];
}

/** CPU used so far (ms) by each part of the server `pid` and by the machine. */
function cpu(pid) {
  const parts = { main: 0, mainUser: 0, libuvPool: 0, otherThreads: 0, children: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) {
    const thread = readStat(`/proc/${pid}/task/${tid}/stat`);
    if (!thread) continue;
    const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    if (tid === pid) Object.assign(parts, { main: thread.user + thread.system, mainUser: thread.user });
    else if (name.startsWith('libuv-worker')) parts.libuvPool += thread.user + thread.system;
    else parts.otherThreads += thread.user + thread.system;
  }
  for (const child of descendants(pid)) {
    const stat = readStat(`/proc/${child}/stat`);
    if (stat) parts.children += stat.user + stat.system;
  }
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  parts.machine = (ticks.reduce((sum, t) => sum + t, 0) - ticks[3] - ticks[4]) / TICKS_PER_MS; // all but idle and iowait
  return parts;
}

/** The sides of the row, the bench's targets: [name, server pid, target]; the peer is second. */
async function sidesOf(platform, account) {
  if (row === 'authenticate') {
    const peer = await startArgon2Server(await storedPasswordHash(platform, account));
    return { peer, connections: 8, sides: [['ours', platform.pid, signIn(platform, account)], ['argon2id only', peer.pid, bareArgon2Verify(peer.url, account)]] };
  }
  const peer = await startOidcProvider();
  const floors = [await startTokenFloor(), await startTokenFloor(platform.databaseUrl)];
  const [bare, recording] = floors;
  return {
    peer: { stop: () => Promise.all([peer, ...floors].map((server) => server.stop())) },
    connections: 64,
    sides: [
      ['ours', platform.pid, clientCredentials(platform, account)],
      ['node-oidc-provider', peer.pid, peerClientCredentials(peer)],
      ['floor, a row per token', recording.pid, recording.target],
      ['floor, no record', bare.pid, bare.target],
    ],
  };
}

const platform = await startEmbedded();
let peer;
try {
  const account = await createAccount(platform, `cpu${Date.now().toString(36)}`);
  const chosen = await sidesOf(platform, account);
  peer = chosen.peer;
  const { sides, connections } = chosen;
  for (const [, , target] of sides) await load(target, { connections, seconds: 3 }); // warm-up
  for (let run = 1; run <= Number(runs); run++) {
    const rates = [];
    for (const [name, pid, target] of sides) {
      const [before, ownBefore] = [cpu(pid), process.cpuUsage()];
      const result = await load(target, { connections, seconds: Number(seconds) });
      const [after, own] = [cpu(pid), process.cpuUsage(ownBefore)];
      const requests = result.rate * result.seconds;
      rates.push([name, result.rate]);
      const perRequest = Object.entries(after).map(([part, ms]) => `${part} ${(((ms - before[part]) * 1000) / requests).toFixed(0)}`);
      const loadGenerator = ((own.user + own.system) / requests).toFixed(0);
      console.log(`run ${run}, ${name}: ${result.rate.toFixed(1)}/s, p99 ${result.p99} ms, ${result.errors + result.non2xx} failed; µs of CPU per request: ${perRequest.join(', ')}, load generator ${loadGenerator}`);
    }
    const peerRate = rates[1][1];
    console.log(`run ${run}, over ${rates[1][0]}: ${rates.filter((_, i) => i !== 1).map(([name, rate]) => `${name} ${(rate / peerRate).toFixed(2)}×`).join(', ')}`);
  }
} finally {
  await peer?.stop();
  await platform.stop();
}
