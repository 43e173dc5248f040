import { type EndReason, PushSubscriptions } from './push-subscriptions';

describe('PushSubscriptions', () => {
  let now: number;
  let ended: [object, EndReason][];
  let subscriptions: PushSubscriptions<object>;
  const inAnHour = () => new Date(now + 3_600_000).toISOString();

  beforeEach(() => {
    jest.useFakeTimers();
    now = Date.parse('2026-01-01T00:00:00Z');
    jest.setSystemTime(now);
    ended = [];
    subscriptions = new PushSubscriptions<object>((socket, reason) => ended.push([socket, reason]), () => Date.now());
  });

  afterEach(() => jest.useRealTimers());

  it('lists the sockets of a profile until they leave', () => {
    const a = {};
    const b = {};
    subscriptions.join(a, { tokenHash: 'h1', profileId: 'p1', expiresAt: inAnHour() });
    subscriptions.join(b, { tokenHash: 'h2', profileId: 'p1', expiresAt: inAnHour() });
    expect([...subscriptions.socketsOf('p1')]).toEqual([a, b]);
    subscriptions.leave(a);
    expect([...subscriptions.socketsOf('p1')]).toEqual([b]);
    expect(subscriptions.tokenHashes()).toEqual(['h2']);
  });

  it('ends every socket joined with a revoked token, and only those', () => {
    const a = {};
    const b = {};
    const other = {};
    subscriptions.join(a, { tokenHash: 'h1', profileId: 'p1', expiresAt: inAnHour() });
    subscriptions.join(b, { tokenHash: 'h1', profileId: 'p1', expiresAt: inAnHour() });
    subscriptions.join(other, { tokenHash: 'h2', profileId: 'p1', expiresAt: inAnHour() });
    subscriptions.tokenRevoked('h1');
    expect(ended).toEqual([
      [a, 'revoked'],
      [b, 'revoked'],
    ]);
    expect([...subscriptions.socketsOf('p1')]).toEqual([other]);
    subscriptions.tokenRevoked('h1');
    expect(ended).toHaveLength(2);
  });

  it('ends a socket whose token expires, once, at its expiry', () => {
    const socket = {};
    subscriptions.join(socket, { tokenHash: 'h1', profileId: 'p1', expiresAt: new Date(now + 5_000).toISOString() });
    jest.advanceTimersByTime(4_999);
    expect(ended).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(ended).toEqual([[socket, 'expired']]);
    expect(subscriptions.socketsOf('p1').size).toBe(0);
    jest.advanceTimersByTime(60_000);
    expect(ended).toHaveLength(1);
  });

  it('waits out expiries beyond the 24.8-day timer limit instead of firing at once', () => {
    const socket = {};
    subscriptions.join(socket, { tokenHash: 'h1', profileId: 'p1', expiresAt: new Date(now + 30 * 86_400_000).toISOString() });
    jest.advanceTimersByTime(29 * 86_400_000);
    expect(ended).toEqual([]);
    jest.advanceTimersByTime(86_400_000);
    expect(ended).toEqual([[socket, 'expired']]);
  });

  it('ends all sockets of a profile whose tokens were all revoked, and forgets a left socket timer', () => {
    const a = {};
    const left = {};
    subscriptions.join(a, { tokenHash: 'h1', profileId: 'p1', expiresAt: inAnHour() });
    subscriptions.join(left, { tokenHash: 'h2', profileId: 'p1', expiresAt: new Date(now + 1_000).toISOString() });
    subscriptions.leave(left);
    jest.advanceTimersByTime(2_000);
    expect(ended).toEqual([]);
    subscriptions.profileRevoked('p1');
    expect(ended).toEqual([[a, 'revoked']]);
  });
});
