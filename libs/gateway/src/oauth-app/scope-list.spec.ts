import { scopeList } from './redirect-uri';

describe('scopeList', () => {
  it('splits on spaces and commas, across repeated fields, without empties or repeats', () => {
    expect(scopeList({ value: 'profile:read oauth-app:read' })).toEqual(['profile:read', 'oauth-app:read']);
    expect(scopeList({ value: ' profile:read,, oauth-app:read ,' })).toEqual(['profile:read', 'oauth-app:read']);
    expect(scopeList({ value: ['profile:read', 'profile:read oauth-app:write'] })).toEqual(['profile:read', 'oauth-app:write']);
  });

  it('keeps a tab or a newline inside the name, so that it names no scope', () => {
    expect(scopeList({ value: 'profile:read\toauth-app:read' })).toEqual(['profile:read\toauth-app:read']);
    expect(scopeList({ value: 'profile:read\noauth-app:read' })).toEqual(['profile:read\noauth-app:read']);
  });

  it('leaves what is not text for the validator to refuse', () => {
    expect(scopeList({ value: 42 })).toBe(42);
    expect(scopeList({ value: ['profile:read', null] })).toEqual(['profile:read', null]);
  });
});
