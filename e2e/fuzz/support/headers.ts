import fc from 'fast-check';
import { nastyString, seedRef } from './values';

/** `⟦base64:…⟧` is replaced, after the seeds inside it, by the base64 of its UTF-8 bytes. */
const base64Of = (inner: string): string => `⟦base64:${inner}⟧`;

const anyCase = (scheme: string) => fc.constantFrom(scheme, scheme.toLowerCase(), scheme.toUpperCase(), `${scheme} `);

export const validClient = base64Of(`${seedRef('clientId')}:${seedRef('clientSecret')}`);

const oddBasicCredentials = fc.constantFrom(
  base64Of(`${seedRef('clientId')}:wrong-secret`),
  base64Of(`${seedRef('publicClientId')}:`),
  base64Of('%ZZ:%'),
  base64Of('\uD800:\uDC00'),
  base64Of('%ED%A0%80:x'),
  base64Of(':'),
  base64Of('no-colon'),
  base64Of(''),
  seedRef('refreshToken'),
  seedRef('clientCredentialsToken'),
  seedRef('profileToken'),
  '!!!not base64!!!',
  '====',
  '',
);

/** The real credentials are drawn often enough for cases to get past authentication. */
const basicCredentials = fc.oneof(
  { weight: 5, arbitrary: fc.constant(validClient) },
  { weight: 3, arbitrary: fc.constant(seedRef('accessToken')) },
  { weight: 2, arbitrary: fc.constantFrom(base64Of('a%00:b'), base64Of('a\u0000:b'), base64Of(`${seedRef('clientId')}:b\u0000`)) },
  { weight: 3, arbitrary: oddBasicCredentials },
);

const oddBearerToken = fc.constantFrom(
  seedRef('clientCredentialsToken'),
  seedRef('profileToken'),
  seedRef('refreshToken'),
  'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  'a.b.c',
  '',
);

const bearerToken = fc.oneof({ weight: 5, arbitrary: fc.constant(seedRef('accessToken')) }, { weight: 3, arbitrary: oddBearerToken });

/** `Authorization`: missing, valid, garbage; Basic and Bearer in any case of the scheme name. */
export const authorizationHeader: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.tuple(anyCase('Basic'), basicCredentials).map(([scheme, credentials]) => `${scheme} ${credentials}`) },
  { weight: 3, arbitrary: fc.tuple(anyCase('Bearer'), bearerToken).map(([scheme, token]) => `${scheme} ${token}`) },
  { weight: 1, arbitrary: fc.constantFrom('Basic', 'Bearer', 'Digest x', 'Negotiate', '  ', `Bearer  ${seedRef('accessToken')}`, `Bearer ${seedRef('accessToken')} extra`) },
  { weight: 1, arbitrary: nastyString },
);

/** `X-DPT-AUTHORIZATION`: missing, the profile's real token, another kind of token, garbage. */
export const profileTokenHeader: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 5, arbitrary: fc.constant(seedRef('profileToken')) },
  { weight: 1, arbitrary: fc.constantFrom(seedRef('accessToken'), seedRef('qrToken'), seedRef('refreshToken'), `${seedRef('profileToken')}x`, `Bearer ${seedRef('profileToken')}`) },
  { weight: 1, arbitrary: nastyString },
);

export const idempotencyKey: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom('fuzz-key-1', 'fuzz-key-2') },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'x'.repeat(255), 'x'.repeat(256), 'a b', 'ÿé', '\t') },
  { weight: 1, arbitrary: nastyString },
);

/** Headers no route expects: odd Accept, encodings, forwarding, cookies, duplicates, long values. */
export const oddHeaders: fc.Arbitrary<Record<string, string | string[]>> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({}) },
  {
    weight: 3,
    arbitrary: fc
      .subarray<[string, string | string[]]>([
        ['accept', '*/*;q=garbage, text/html;;, application/json; charset=ebcdic'],
        ['accept', 'application/xml'],
        ['accept-encoding', 'gzip;q=2, br, identity;q=0'],
        ['content-encoding', 'gzip'],
        ['x-forwarded-for', 'garbage, 999.1.1.1, ::::, '],
        ['x-forwarded-proto', 'gopher'],
        ['x-forwarded-host', 'evil.example'],
        ['forwarded', 'for="_x";proto=https;host=evil'],
        ['cookie', `oauth_authz=${'z'.repeat(100)}; oauth_authz=; =; ;;`],
        ['origin', 'null'],
        ['referer', 'javascript:alert(1)'],
        ['x-http-method-override', 'DELETE'],
        ['x-request-id', 'r'.repeat(4000)],
        ['user-agent', ''],
        ['range', 'bytes=0-1,5-'],
        ['if-none-match', '*'],
        ['x-dpt-authorization', [seedRef('profileToken'), 'second-token']],
        ['authorization', [`Bearer ${seedRef('accessToken')}`, 'Basic Og==']],
        ['idempotency-key', ['k1', 'k2']],
        ['x-dpt-cab-id', 'forged'],
      ])
      .map((pairs) => Object.fromEntries(pairs)),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x-fuzz', 'accept', 'cookie', 'x-forwarded-for'), nastyString).map(([name, value]) => ({ [name]: value })) },
);
