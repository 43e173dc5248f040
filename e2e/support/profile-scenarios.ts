import { GatewayClient, randomUsername } from './client';

/**
 * The register → poll → authenticate walk-through and the refusals around it, run against any
 * running platform (the distributed stack or the embedded default).
 */
export function describeProfileScenarios(name: string, gateway: () => GatewayClient): void {
  describe(`${name}: profile registration and authentication`, () => {
    const password = 'correct horse battery staple';

    it('reports health with PostgreSQL and messaging checks', async () => {
      const answer = await gateway().request('GET', '/health');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, messaging: { status: 'up' } } });
    });

    it('registers, reports succeeded, authenticates and resolves the profile id', async () => {
      const client = gateway();
      const username = randomUsername();
      const { commandId, answer } = await client.register(username, password);
      expect(answer.status).toBe(202);
      expect(answer.headers.get('x-dpt-cab-id')).toBe(commandId);
      expect(commandId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

      const status = await client.waitForCommand(commandId);
      expect(status.body).toMatchObject({ commandId, status: 'succeeded', command_status: 2, body: 'Command completed successfully' });
      expect(status.body).not.toHaveProperty('result');

      const login = await client.authenticate(username, password);
      expect(login.status).toBe(200);
      expect(login.body.authorizationToken).toEqual(expect.any(String));
      expect(String(login.body.expiresAt)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);

      const token = String(login.body.authorizationToken);
      const who = await client.request('GET', '/profile/retrieve-profile-id', { headers: { 'x-dpt-authorization': token } });
      expect(who.status).toBe(200);
      expect(who.body.profileId).toEqual(expect.any(String));

      const withResult = await client.request('POST', `/request-status/${commandId}`, { headers: { 'x-dpt-authorization': token } });
      expect(withResult.body).toMatchObject({ status: 'succeeded', result: { profileId: who.body.profileId } });
    });

    it('never answers 404 to a poll made right after the 202', async () => {
      const client = gateway();
      const registrations = await Promise.all(Array.from({ length: 10 }, () => client.register(randomUsername('poll'), password)));
      const polls = await Promise.all(registrations.map(({ commandId }) => client.request('GET', `/request-status/${commandId}`)));
      expect(polls.map((poll) => poll.status)).toEqual(Array(10).fill(200));
      for (const { commandId } of registrations) {
        expect((await client.waitForCommand(commandId)).body.status).toBe('succeeded');
      }
    });

    it('rejects a duplicate username, whatever its case, with profile.username_taken', async () => {
      const client = gateway();
      const username = randomUsername('dup');
      const first = await client.register(username, password);
      expect((await client.waitForCommand(first.commandId)).body.status).toBe('succeeded');
      const second = await client.register(username.toUpperCase(), 'another password of length');
      const status = await client.waitForCommand(second.commandId);
      expect(status.body).toMatchObject({ status: 'rejected', command_status: 3, body: 'profile.username_taken' });
      expect((await client.authenticate(username, 'another password of length')).status).toBe(401);
      expect((await client.authenticate(username, password)).status).toBe(200);
    });

    it('answers a wrong password or an unknown user with 401', async () => {
      const client = gateway();
      const username = randomUsername('pw');
      const { commandId } = await client.register(username, password);
      await client.waitForCommand(commandId);
      const wrong = await client.authenticate(username, 'not the right password');
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ error: 'profile.invalid_credentials' });
      expect((await client.authenticate(randomUsername('nobody'), password)).status).toBe(401);
    });

    it('refuses retrieve-profile-id without a valid token', async () => {
      const client = gateway();
      expect((await client.request('GET', '/profile/retrieve-profile-id')).status).toBe(401);
      const bad = await client.request('GET', '/profile/retrieve-profile-id', { headers: { 'x-dpt-authorization': 'forged' } });
      expect(bad.status).toBe(401);
      expect(bad.body).toMatchObject({ error: 'unauthorized' });
    });

    it('answers 404 for an unknown command id, and 400 for one no command id can be', async () => {
      const answer = await gateway().request('GET', '/request-status/0190a7c2-0000-7000-8000-000000000000');
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ error: 'not_found' });
      const nul = await gateway().request('GET', '/request-status/%00');
      expect([nul.status, nul.body.error]).toEqual([400, 'validation_error']);
    });

    describe('bad input gets a 4xx with a stable code and changes nothing', () => {
      const cases: [string, Parameters<GatewayClient['request']>[2], number, string][] = [
        ['missing fields', { form: {} }, 400, 'validation_error'],
        ['a short password', { form: { username: 'shorty', password: 'short' } }, 400, 'validation_error'],
        ['a username with forbidden characters', { form: { username: 'bad name!', password } }, 400, 'validation_error'],
        ['an oversized username', { form: { username: 'a'.repeat(65), password } }, 400, 'validation_error'],
        ['a non-string field', { json: { username: ['a', 'b'], password } }, 400, 'validation_error'],
        ['malformed JSON', { raw: '{"username": "x",' }, 400, 'malformed_body'],
        ['an unsupported content type', { raw: '<xml/>', contentType: 'application/xml' }, 415, 'unsupported_media_type'],
        ['a body over the size limit', { json: { username: 'big', password: 'p'.repeat(200_000) } }, 413, 'payload_too_large'],
        ['a NUL character', { json: { username: 'nul\u0000user', password } }, 400, 'validation_error'],
      ];
      it.each(cases)('%s', async (_, options, status, code) => {
        const answer = await gateway().request('POST', '/profile/register-profile', options);
        expect(answer.status).toBe(status);
        expect(answer.body).toMatchObject({ error: code });
        expect(answer.headers.get('x-dpt-cab-id')).toBeNull();
      });
    });
  });
}
