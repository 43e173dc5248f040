export const BROAD_SCOPES = ['all', 'read', 'write'] as const;
export const NAMED_SCOPES = [
  'profile:read',
  'profile:write',
  'oauth-app:read',
  'oauth-app:write',
  'data-token:read',
  'data-token:write',
] as const;
export const SCOPE_CATALOGUE: readonly string[] = [...BROAD_SCOPES, ...NAMED_SCOPES];
export type Scope = (typeof BROAD_SCOPES)[number] | (typeof NAMED_SCOPES)[number];

export const isKnownScope = (scope: string): scope is Scope => SCOPE_CATALOGUE.includes(scope);

/** `read` covers every `<area>:read`, `write` every `<area>:write` (write does not imply read); `all` covers both. */
export const scopeSatisfies = (granted: readonly string[], required: string): boolean => {
  if (granted.includes('all') || granted.includes(required)) return true;
  const access = required.split(':')[1];
  return access !== undefined && granted.includes(access);
};

/**
 * What of `scopes` remains within `limit` (an application's current scopes): each scope `limit`
 * covers, and where a broad scope is no longer covered, the narrower ones of `limit` it covers.
 */
export const scopesWithin = (scopes: readonly string[], limit: readonly string[]): string[] => {
  const remaining = new Set<string>();
  for (const scope of scopes) {
    if (scopeSatisfies(limit, scope)) remaining.add(scope);
    else for (const allowed of limit) if (scopeSatisfies([scope], allowed)) remaining.add(allowed);
  }
  return [...remaining];
};
