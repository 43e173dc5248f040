import type { RawData } from 'ws';

export const MAX_CORRELATION_ID_LENGTH = 128;

/** A frame read as untrusted input: a join to attempt, or the reason it is refused (answered 400). */
export type Frame =
  | { kind: 'join'; correlationId: string | null; authorizationToken: string | undefined }
  | { kind: 'invalid'; correlationId: string | null; message: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** No NUL (PostgreSQL text cannot hold it) and no lone surrogate (not representable in UTF-8). */
const isCleanString = (value: unknown): value is string => typeof value === 'string' && !value.includes('\u0000') && !/\p{Cs}/u.test(value);

const invalid = (correlationId: string | null, message: string): Frame => ({ kind: 'invalid', correlationId, message });

const bytesOf = (data: RawData): Buffer => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

/**
 * `{"action":"joinChannel","data":{"authorizationToken":…,"correlationId":…}}` and nothing else.
 * A missing token is a join that will answer 401 (no credentials); a token of the wrong type is malformed (400).
 */
export function parseFrame(data: RawData, isBinary: boolean): Frame {
  if (isBinary) return invalid(null, 'Messages are JSON text frames.');
  let message: unknown;
  try {
    message = JSON.parse(bytesOf(data).toString('utf8'));
  } catch {
    return invalid(null, 'Messages are JSON.');
  }
  if (!isObject(message)) return invalid(null, 'A message is a JSON object.');
  const body = message.data;
  const rawCorrelationId = isObject(body) ? body.correlationId : undefined;
  if (rawCorrelationId !== undefined && rawCorrelationId !== null && !(isCleanString(rawCorrelationId) && rawCorrelationId.length <= MAX_CORRELATION_ID_LENGTH)) {
    return invalid(null, `data.correlationId must be a string of at most ${MAX_CORRELATION_ID_LENGTH} characters.`);
  }
  const correlationId = (rawCorrelationId as string | null | undefined) ?? null;
  if (message.action !== 'joinChannel') return invalid(correlationId, 'Unknown action.');
  if (!isObject(body)) return invalid(correlationId, 'data must be an object.');
  const token = body.authorizationToken;
  if (token === undefined || token === null || token === '') return { kind: 'join', correlationId, authorizationToken: undefined };
  if (!isCleanString(token)) return invalid(correlationId, 'data.authorizationToken must be a string.');
  return { kind: 'join', correlationId, authorizationToken: token };
}
