export interface JoinedToken {
  tokenHash: string;
  profileId: string;
  expiresAt: string;
}

export type EndReason = 'revoked' | 'expired';

/** setTimeout overflows beyond 2^31-1 ms (about 24.8 days) and would fire at once; longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Which sockets joined which profile channel, with which token. A subscription lives as long as its
 * token: when the token is revoked or expires, every socket that joined with it is ended.
 */
export class PushSubscriptions<Socket extends object> {
  private readonly byProfile = new Map<string, Set<Socket>>();
  private readonly byToken = new Map<string, Set<Socket>>();
  private readonly ofSocket = new Map<Socket, Map<string, { profileId: string; timer: NodeJS.Timeout }>>();

  constructor(
    private readonly end: (socket: Socket, reason: EndReason) => void,
    private readonly now: () => number = Date.now,
  ) {}

  join(socket: Socket, token: JoinedToken): void {
    const tokens = this.ofSocket.get(socket) ?? new Map();
    this.ofSocket.set(socket, tokens);
    if (tokens.has(token.tokenHash)) return;
    tokens.set(token.tokenHash, { profileId: token.profileId, timer: this.expiryTimer(socket, Date.parse(token.expiresAt)) });
    add(this.byProfile, token.profileId, socket);
    add(this.byToken, token.tokenHash, socket);
  }

  leave(socket: Socket): void {
    const tokens = this.ofSocket.get(socket);
    if (!tokens) return;
    this.ofSocket.delete(socket);
    for (const [tokenHash, { profileId, timer }] of tokens) {
      clearTimeout(timer);
      remove(this.byProfile, profileId, socket);
      remove(this.byToken, tokenHash, socket);
    }
  }

  socketsOf(profileId: string): ReadonlySet<Socket> {
    return this.byProfile.get(profileId) ?? new Set();
  }

  tokenHashes(): string[] {
    return [...this.byToken.keys()];
  }

  tokenRevoked(tokenHash: string): void {
    this.endAll(this.byToken.get(tokenHash), 'revoked');
  }

  profileRevoked(profileId: string): void {
    this.endAll(this.byProfile.get(profileId), 'revoked');
  }

  private endAll(sockets: Set<Socket> | undefined, reason: EndReason): void {
    for (const socket of [...(sockets ?? [])]) {
      this.leave(socket);
      this.end(socket, reason);
    }
  }

  private expiryTimer(socket: Socket, expiresAt: number): NodeJS.Timeout {
    const wait = Math.min(Math.max(expiresAt - this.now(), 0), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      if (this.now() < expiresAt) return this.rearm(socket, timer, expiresAt);
      this.leave(socket);
      this.end(socket, 'expired');
    }, wait);
    timer.unref();
    return timer;
  }

  private rearm(socket: Socket, fired: NodeJS.Timeout, expiresAt: number): void {
    for (const entry of this.ofSocket.get(socket)?.values() ?? []) if (entry.timer === fired) entry.timer = this.expiryTimer(socket, expiresAt);
  }
}

function add<Socket>(index: Map<string, Set<Socket>>, key: string, socket: Socket): void {
  const set = index.get(key) ?? new Set();
  set.add(socket);
  index.set(key, set);
}

function remove<Socket>(index: Map<string, Set<Socket>>, key: string, socket: Socket): void {
  const set = index.get(key);
  set?.delete(socket);
  if (set?.size === 0) index.delete(key);
}
