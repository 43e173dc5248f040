import WebSocket from 'ws';
import { type Answer, GatewayClient, randomUsername } from './client';

const password = 'correct horse battery staple';
const auth = (token: string) => ({ headers: { 'x-dpt-authorization': token } });

export async function registeredProfile(client: GatewayClient): Promise<{ username: string; token: string; profileId: string }> {
  const username = randomUsername('tok');
  const { commandId } = await client.register(username, password);
  expect((await client.waitForCommand(commandId)).body.status).toBe('succeeded');
  const login = await client.authenticate(username, password);
  expect(login.status).toBe(200);
  const token = String(login.body.authorizationToken);
  const who = await client.request('GET', '/profile/retrieve-profile-id', auth(token));
  return { username, token, profileId: String(who.body.profileId) };
}

const profileIdOf = async (client: GatewayClient, token: string): Promise<Answer> =>
  client.request('GET', '/profile/retrieve-profile-id', auth(token));

/** Every profile and token operation of DESIGN §4, with the immediate follow-ups and the refusals. */
export function describeTokenScenarios(name: string, gateway: () => GatewayClient, wsUrl: () => string): void {
  describe(`${name}: passwords, authorization tokens, QR tokens and status push`, () => {
    it('changes the password: a wrong current one ends rejected; after success the old is refused and the new accepted at once', async () => {
      const client = gateway();
      const { username, token } = await registeredProfile(client);
      const other = String((await client.authenticate(username, password)).body.authorizationToken);

      const wrong = await client.request('POST', '/profile/change-password', { ...auth(token), form: { currentPassword: 'not my password at all', newPassword: 'a brand new passphrase here' } });
      expect(wrong.status).toBe(202);
      expect((await client.waitForCommand(String(wrong.body.commandId))).body).toMatchObject({ status: 'rejected', body: 'profile.invalid_password' });

      const change = await client.request('POST', '/profile/change-password', { ...auth(token), form: { currentPassword: password, newPassword: 'a brand new passphrase here' } });
      expect(change.status).toBe(202);
      expect((await client.waitForCommand(String(change.body.commandId))).body.status).toBe('succeeded');
      expect((await client.authenticate(username, password)).status).toBe(401);
      expect((await client.authenticate(username, 'a brand new passphrase here')).status).toBe(200);
      expect((await profileIdOf(client, token)).status).toBe(200);
      expect((await profileIdOf(client, other)).status).toBe(401);
    });

    it('refuses weak passwords with profile.weak_password and changes nothing', async () => {
      const client = gateway();
      const { token } = await registeredProfile(client);
      const weak = await client.request('POST', '/profile/change-password', { ...auth(token), form: { currentPassword: password, newPassword: 'password1234' } });
      expect(weak.status).toBe(400);
      expect(weak.body).toMatchObject({ error: 'profile.weak_password' });
      const weakRegistration = await client.request('POST', '/profile/register-profile', { form: { username: randomUsername('weak'), password: 'qwertyuiop12' } });
      expect(weakRegistration.status).toBe(400);
      expect(weakRegistration.body).toMatchObject({ error: 'profile.weak_password' });
      expect(weakRegistration.headers.get('x-dpt-cab-id')).toBeNull();
    });

    it('reauthorizes: the new token honours ttl and the old one is refused on the next call', async () => {
      const client = gateway();
      const { token, profileId } = await registeredProfile(client);
      for (const ttl of ['59', '2592001', 'soon', '']) {
        const bad = await client.request('POST', '/profile/reauthorize-authorization-token', { ...auth(token), form: { ttl } });
        expect([bad.status, bad.body.error]).toEqual([400, 'validation_error']);
      }
      const before = Date.now();
      const answer = await client.request('POST', '/profile/reauthorize-authorization-token', { ...auth(token), form: { ttl: '3600' } });
      expect(answer.status).toBe(200);
      const expiresAt = Date.parse(String(answer.body.expiresAt));
      expect(expiresAt).toBeGreaterThanOrEqual(before + 3_599_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3_601_000);
      expect((await profileIdOf(client, token)).status).toBe(401);
      const fresh = String(answer.body.authorizationToken);
      expect((await profileIdOf(client, fresh)).body.profileId).toBe(profileId);
      const expiry = await client.request('POST', '/profile/authorization-token/expiry', auth(fresh));
      expect(expiry.body.expiresAt).toBe(answer.body.expiresAt);
    });

    it('revokes a token: refused on the very next call', async () => {
      const client = gateway();
      const { token } = await registeredProfile(client);
      expect((await profileIdOf(client, token)).status).toBe(200);
      const revoke = await client.request('POST', '/profile/revoke-authorization-token', auth(token));
      expect(revoke.status).toBe(200);
      expect((await profileIdOf(client, token)).status).toBe(401);
      expect((await client.request('POST', '/profile/authorization-token/expiry', auth(token))).status).toBe(401);
      expect((await client.request('POST', '/profile/revoke-authorization-token', auth(token))).status).toBe(401);
    });

    it('reports the token expiry', async () => {
      const client = gateway();
      const username = randomUsername('exp');
      await client.waitForCommand((await client.register(username, password)).commandId);
      const login = await client.authenticate(username, password);
      const expiry = await client.request('POST', '/profile/authorization-token/expiry', auth(String(login.body.authorizationToken)));
      expect(expiry.status).toBe(200);
      expect(expiry.body).toEqual({ expiresAt: login.body.expiresAt });
    });

    it('hands a one-time QR token to a second device', async () => {
      const client = gateway();
      const { token, profileId } = await registeredProfile(client);
      const qr = await client.request('POST', '/profile/generate-token-qr', auth(token));
      expect(qr.status).toBe(200);
      const lifetime = Date.parse(String(qr.body.expiresAt)) - Date.now();
      expect(lifetime).toBeGreaterThan(100_000);
      expect(lifetime).toBeLessThanOrEqual(121_000);

      const redeemed = await client.request('POST', '/profile/redeem-token-qr', { form: { qrToken: String(qr.body.qrToken) } });
      expect(redeemed.status).toBe(200);
      const second = String(redeemed.body.authorizationToken);
      expect(second).not.toBe(token);
      expect((await profileIdOf(client, second)).body.profileId).toBe(profileId);
      expect((await profileIdOf(client, token)).status).toBe(200);

      const again = await client.request('POST', '/profile/redeem-token-qr', { form: { qrToken: String(qr.body.qrToken) } });
      expect([again.status, again.body.error]).toEqual([400, 'token.qr_already_redeemed']);
      const unknown = await client.request('POST', '/profile/redeem-token-qr', { form: { qrToken: 'x'.repeat(43) } });
      expect([unknown.status, unknown.body.error]).toEqual([400, 'token.qr_invalid']);
      expect((await client.request('POST', '/profile/generate-token-qr')).status).toBe(401);
    });

    it('refuses an outstanding QR token once the password changed, even one made by the token that changed it', async () => {
      const client = gateway();
      const { token } = await registeredProfile(client);
      const qr = String((await client.request('POST', '/profile/generate-token-qr', auth(token))).body.qrToken);
      const change = await client.request('POST', '/profile/change-password', { ...auth(token), form: { currentPassword: password, newPassword: 'a brand new passphrase here' } });
      expect((await client.waitForCommand(String(change.body.commandId))).body.status).toBe('succeeded');
      const redeem = await client.request('POST', '/profile/redeem-token-qr', { form: { qrToken: qr } });
      expect([redeem.status, redeem.body.error]).toEqual([400, 'token.qr_revoked']);
      const fresh = String((await client.request('POST', '/profile/generate-token-qr', auth(token))).body.qrToken);
      expect((await client.request('POST', '/profile/redeem-token-qr', { form: { qrToken: fresh } })).status).toBe(200);
    });

    it('refuses the QR tokens of a revoked or reauthorized token as soon as that call answered', async () => {
      const client = gateway();
      const { username, token } = await registeredProfile(client);
      const qrOf = async (of: string) => String((await client.request('POST', '/profile/generate-token-qr', auth(of))).body.qrToken);
      const other = String((await client.authenticate(username, password)).body.authorizationToken);
      const fromRevoked = await qrOf(token);
      const fromOther = await qrOf(other);
      expect((await client.request('POST', '/profile/revoke-authorization-token', auth(token))).status).toBe(200);
      const refused = await client.request('POST', '/profile/redeem-token-qr', { form: { qrToken: fromRevoked } });
      expect([refused.status, refused.body.error]).toEqual([400, 'token.qr_revoked']);

      const fromReauthorized = await qrOf(other);
      expect((await client.request('POST', '/profile/reauthorize-authorization-token', { ...auth(other), form: { ttl: '3600' } })).status).toBe(200);
      for (const qrToken of [fromOther, fromReauthorized]) {
        const answer = await client.request('POST', '/profile/redeem-token-qr', { form: { qrToken } });
        expect([answer.status, answer.body.error]).toEqual([400, 'token.qr_revoked']);
      }
    });

    it('delays a username after five failures with 429 and Retry-After', async () => {
      const client = gateway();
      const username = randomUsername('brute');
      const answers: Answer[] = [];
      for (let attempt = 0; attempt < 6; attempt += 1) answers.push(await client.authenticate(username, 'wrong password number ' + attempt));
      expect(answers.slice(0, 5).map((a) => a.status)).toEqual(Array(5).fill(401));
      const limited = answers[5];
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ error: 'too_many_requests' });
      expect(limited.headers.get('retry-after')).toBe('1');
    });

    it('pushes each command of the profile over the WebSocket, 1 then 2 or 3, and nothing of another profile', async () => {
      const client = gateway();
      const mine = await registeredProfile(client);
      const theirs = await registeredProfile(client);
      const socket = new WebSocket(wsUrl());
      const received: Record<string, unknown>[] = [];
      socket.on('message', (data) => received.push(JSON.parse(data.toString())));
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));

      socket.send(JSON.stringify({ action: 'joinChannel', data: { authorizationToken: 'forged', correlationId: 'c-0' } }));
      socket.send(JSON.stringify({ action: 'joinChannel', data: { authorizationToken: mine.token, correlationId: 'c-1' } }));
      await waitUntil(() => received.length >= 2);
      const reply = (correlationId: string) => received.find((message) => message.correlationId === correlationId);
      expect(reply('c-0')).toMatchObject({ status: 401 });
      expect(reply('c-1')).toMatchObject({ status: 200, data: { channelId: expect.any(String), message: expect.any(String) } });

      const ok = await client.request('POST', '/profile/change-password', { ...auth(mine.token), form: { currentPassword: password, newPassword: 'pushed passphrase for this profile' } });
      const bad = await client.request('POST', '/profile/change-password', { ...auth(mine.token), form: { currentPassword: 'wrong current password', newPassword: 'another pushed passphrase here' } });
      const foreign = await client.request('POST', '/profile/change-password', { ...auth(theirs.token), form: { currentPassword: password, newPassword: 'their own new passphrase here' } });
      await client.waitForCommand(String(foreign.body.commandId));
      const pushes = () => received.slice(2).map((m) => m.data as { type: string; id: string; command_status: number; body: string });
      await waitUntil(() => pushes().filter((p) => p.command_status !== 1).length >= 2);
      socket.close();

      const of = (id: unknown) => pushes().filter((p) => p.id === id).map((p) => [p.type, p.command_status, p.body]);
      expect(of(ok.body.commandId)).toEqual([
        ['X-DPT-CAB-ID', 1, 'Command started'],
        ['X-DPT-CAB-ID', 2, 'Command completed successfully'],
      ]);
      expect(of(bad.body.commandId)).toEqual([
        ['X-DPT-CAB-ID', 1, 'Command started'],
        ['X-DPT-CAB-ID', 3, 'profile.invalid_password'],
      ]);
      expect(of(foreign.body.commandId)).toEqual([]);
    });
  });
}

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
