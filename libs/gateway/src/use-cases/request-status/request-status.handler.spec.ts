import type { CommandStatusRow } from '../../commands/command-status.repository';
import { requestStatus } from './request-status.query';

const row = (status: CommandStatusRow['status'], more: Partial<CommandStatusRow> = {}): CommandStatusRow => ({
  commandId: 'c-1',
  context: 'oauth-app',
  commandType: 'RegisterOAuthApplication',
  profileId: 'p-1',
  status,
  reason: null,
  result: null,
  ...more,
});

describe('request-status', () => {
  it('answers Privicore’s status codes and bodies', () => {
    expect(requestStatus(row('started'), undefined)).toEqual({ commandId: 'c-1', status: 'started', command_status: 1, body: 'Command started' });
    expect(requestStatus(row('succeeded'), undefined)).toMatchObject({ command_status: 2, body: 'Command completed successfully' });
    expect(requestStatus(row('rejected', { reason: 'oauth.invalid_scope' }), undefined)).toMatchObject({ command_status: 3, body: 'oauth.invalid_scope' });
    expect(requestStatus(row('rejected'), undefined)).toMatchObject({ body: 'rejected' });
  });

  it('shows the result only to the profile the command acted for', () => {
    const done = row('succeeded', { result: { applicationId: 'a-1' } });
    expect(requestStatus(done, 'p-1')).toMatchObject({ result: { applicationId: 'a-1' } });
    expect(requestStatus(done, 'p-2')).not.toHaveProperty('result');
    expect(requestStatus(done, undefined)).not.toHaveProperty('result');
    expect(requestStatus(row('succeeded', { profileId: null, result: { x: 1 } }), undefined)).not.toHaveProperty('result');
    expect(requestStatus(row('succeeded'), 'p-1')).not.toHaveProperty('result');
  });
});
