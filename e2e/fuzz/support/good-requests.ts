import { validClient } from './headers';
import { seedRef, type Value } from './values';

/** A request the route accepts, made of seeds: what the schema alone cannot tell the fuzzer. */
export interface GoodRequest {
  headers: Record<string, string>;
  pathParams?: Record<string, Value>;
  query?: [string, Value][];
  body?: { kind: 'form' | 'json'; fields: [string, Value][] };
}

const asProfile = { 'x-dpt-authorization': seedRef('profileToken') };
const asClient = { authorization: `Basic ${validClient}` };
const form = (...fields: [string, Value][]) => ({ kind: 'form' as const, fields });
const json = (...fields: [string, Value][]) => ({ kind: 'json' as const, fields });

/**
 * The routes whose default first example (the profile's token and the required fields, from the
 * seeds or the schema) is refused: they need a grant type and credentials together, an application id
 * in the path, a browser cookie, or seeds that work once (a configuration never read, a code never
 * retrieved, a consent page). The fuzzer's examples for these routes start from the request here, so
 * each hazard (null, NUL, lone surrogates, deep nesting) is tried past validation and authentication.
 */
export const GOOD_REQUESTS: Record<string, GoodRequest> = {
  'GET /oauth/authorize': {
    headers: {},
    query: [['response_type', 'code'], ['client_id', seedRef('clientId')], ['redirect_uri', seedRef('redirectUri')], ['state', 'fuzz']],
  },
  'POST /oauth/authorize/login': {
    headers: { cookie: `oauth_authz=${seedRef('loginCookie')}` },
    body: form(['request_id', seedRef('loginRequestId')], ['csrf_token', seedRef('loginCsrf')], ['username', seedRef('username')], ['password', seedRef('password')]),
  },
  'POST /oauth/authorize/consent': {
    headers: { cookie: `oauth_authz=${seedRef('consentCookie')}` },
    body: form(['request_id', seedRef('consentRequestId')], ['csrf_token', seedRef('consentCsrf')], ['decision', 'approve']),
  },
  'POST /oauth/token': { headers: asClient, body: form(['grant_type', 'client_credentials']) },
  'POST /oauth/introspect': { headers: asClient, body: form(['token', seedRef('accessToken')]) },
  'POST /oauth/revoke': { headers: asClient, body: form(['token', seedRef('clientCredentialsToken')]) },
  'POST /oauth-application/retrieve-authorization-code': { headers: asClient, body: form(['id', seedRef('pendingGrantId')], ['nonce', seedRef('pendingNonce')]) },
  'POST /oauth-application/obtain-access-token': { headers: asClient, body: form(['authorization_code', seedRef('freshCode')]) },
  'POST /oauth-application/refresh-access-token': { headers: { authorization: `Basic ${seedRef('accessToken')}` }, body: form(['refresh_token', seedRef('refreshToken')]) },
  'GET /oauth-application/retrieve-oauth-application-scope': { headers: { authorization: `Basic ${seedRef('accessToken')}` } },
  'POST /profile/retrieve-oauth-application-configuration': { headers: asProfile, body: form(['applicationId', seedRef('spareApplicationId')]) },
  'POST /profile/oauth-application-update': { headers: asProfile, body: form(['applicationId', seedRef('applicationId')], ['name', 'Renamed by the fuzzer']) },
  'POST /profile/authorized-application-revoke': { headers: asProfile, body: form(['grantId', seedRef('freshGrantId')]) },
  'PATCH /o/apps/{id}': { headers: asProfile, pathParams: { id: seedRef('applicationId') }, body: json(['name', 'Renamed by the fuzzer']) },
  'POST /o/apps/{id}/secret': { headers: asProfile, pathParams: { id: seedRef('applicationId') }, body: json(['grace_seconds', 60]) },
  'DELETE /o/apps/{id}/secret/previous': { headers: asProfile, pathParams: { id: seedRef('applicationId') } },
  'DELETE /o/apps/{id}': { headers: asProfile, pathParams: { id: seedRef('spareApplicationId') } },
};
