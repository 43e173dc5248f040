import { type FuzzRequest } from './http';

export type FindingKind = 'server error' | 'no answer' | 'process exited' | 'refused request wrote' | 'unhealthy' | 'websocket';

export interface Finding {
  route: string;
  kind: FindingKind;
  status: number | string;
  request: string;
  response: string;
  /** fast-check's rendering of the generated value, and how to run it again. */
  counterexample: string;
  replay: string;
  features: string[];
  detail?: string;
  /** What the server logged for a 5xx (its error's first line), to tell different defects on one route apart. */
  cause?: string;
}

interface Group {
  first: Finding;
  count: number;
  common: Set<string>;
}

const has = (text: string, pattern: RegExp) => pattern.test(text);

/** The input classes a request belongs to, to tell which of them the failures of one group share. */
export function featuresOf(request: FuzzRequest): string[] {
  const body = request.body?.toString('latin1') ?? '';
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${String(value)}`);
  const all = [request.path, ...headers, body].join('\n');
  const features = new Set<string>();
  if (all.includes('\u0000') || has(all, /%00|\\u0000/i)) features.add('NUL');
  if (has(all, /\\ud[89a-f][0-9a-f]{2}|%ED%[AB][0-9A-F]|\xed[\xa0-\xbf]/i)) features.add('lone surrogate');
  if (has(all, /\[{40}|(\{"a":){40}|(\[a\]){40}|(%5Ba%5D){40}/)) features.add('deep nesting');
  if (has(all, /a{2500}/)) features.add('huge string');
  if (request.body !== undefined && !isUtf8(request.body)) features.add('invalid UTF-8');
  if (request.body === undefined || request.body.length === 0) features.add(`empty body (${String(request.headers['content-type'] ?? 'no content-type')})`);
  else features.add(`body ${String(request.headers['content-type'] ?? 'without content-type')}`);
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const [scheme, credentials = ''] = authorization.trim().split(/\s+/);
    features.add(`Authorization ${scheme}`);
    const decoded = Buffer.from(credentials, 'base64').toString('latin1');
    if (/^basic$/i.test(scheme) && decoded.includes(':') && (decoded.includes('\u0000') || decoded.includes('%00'))) features.add('Basic credentials with NUL / %00');
  } else if (Array.isArray(authorization)) features.add('Authorization repeated');
  if (request.headers['x-dpt-authorization'] !== undefined) features.add('X-DPT-AUTHORIZATION');
  if (request.headers['idempotency-key'] !== undefined) features.add('Idempotency-Key');
  return [...features];
}

const isUtf8 = (bytes: Buffer): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** Failures found so far, grouped by route, kind and status: the distinct defects. */
export class Findings {
  private readonly groups = new Map<string, Group>();

  add(finding: Finding): void {
    const key = `${finding.route}|${finding.kind}|${finding.status}|${finding.cause ?? ''}`;
    const group = this.groups.get(key);
    if (!group) {
      this.groups.set(key, { first: finding, count: 1, common: new Set(finding.features) });
      return;
    }
    group.count++;
    for (const feature of group.common) if (!finding.features.includes(feature)) group.common.delete(feature);
  }

  forRoute(route: string): Group[] {
    return [...this.groups.values()].filter((group) => group.first.route === route);
  }

  get size(): number {
    return this.groups.size;
  }

  /** A failure message that shows what was sent, what came back and how to reproduce it. */
  static report(groups: Group[]): string {
    return groups
      .map(({ first, count, common }) =>
        [
          `✗ ${first.route}: ${first.kind} (${first.status}), ${count} case(s); shared input classes: ${[...common].join(', ') || '(none in common)'}`,
          first.cause ? `  server logged: ${first.cause}` : '',
          `  request:\n${first.request.replace(/^/gm, '    ')}`,
          `  response: ${first.response}`,
          first.detail ? `  detail: ${first.detail}` : '',
          `  counterexample: ${first.counterexample.slice(0, 1_500)}`,
          `  replay: ${first.replay}`,
        ]
          .filter(Boolean)
          .join('\n'),
      )
      .join('\n\n');
  }

  summary(): string {
    const rows = [...this.groups.values()].map(({ first, count, common }) => `  ${first.route} — ${first.kind} ${first.status}${first.cause ? ` (${first.cause})` : ''} ×${count} — ${[...common].join(', ') || '(no shared class)'}`);
    return rows.length ? `fuzz findings (${rows.length} distinct):\n${rows.join('\n')}` : 'fuzz findings: none';
  }
}
