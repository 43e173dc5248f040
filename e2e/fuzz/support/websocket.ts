import fc from 'fast-check';
import WebSocket from 'ws';
import { nastyString, seedRef, wrongType } from './values';

/** One WebSocket frame; `cls` names its input class for the report (and to stop repeating a crash). */
export interface Frame {
  cls: string;
  text?: string;
  bytes?: number[];
  /** Send `bytes` in a text frame although they are not UTF-8. */
  invalidText?: boolean;
}

const text = (cls: string, arbitrary: fc.Arbitrary<string>): fc.Arbitrary<Frame> => arbitrary.map((value) => ({ cls, text: value }));
const json = (cls: string, arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<Frame> => text(cls, arbitrary.map((value) => JSON.stringify(value) ?? 'null'));

const token = fc.oneof(fc.constant(seedRef('profileToken')), fc.constant(seedRef('accessToken')), nastyString, wrongType);

const MAX_MESSAGE_BYTES = 4096;
const sizeOf = (frame: Frame) => (frame.text !== undefined ? Buffer.byteLength(frame.text) : frame.bytes!.length);

export const frames: fc.Arbitrary<Frame> = fc.oneof(
  json('null', fc.constant(null)),
  json('number', fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e308))),
  json('boolean', fc.boolean()),
  json('array', fc.array(fc.oneof(wrongType, nastyString), { maxLength: 3 })),
  json('string', nastyString.filter((value) => value.length < 4000)),
  json('object of wrong shape', fc.record({ action: fc.oneof(fc.constant('joinChannel'), nastyString, wrongType), data: fc.oneof(wrongType, fc.record({ authorizationToken: token, correlationId: fc.oneof(fc.string(), wrongType) }, { requiredKeys: [] })) }, { requiredKeys: [] })),
  json('join', fc.record({ action: fc.constant('joinChannel'), data: fc.record({ authorizationToken: fc.constant(seedRef('profileToken')), correlationId: fc.string({ maxLength: 20 }) }) })),
  text('prototype keys', fc.constantFrom('{"__proto__":{"action":"joinChannel"}}', '{"action":"joinChannel","data":{"__proto__":null}}', '{"action":"joinChannel","data":{"authorizationToken":{"toString":1}}}', '{"constructor":{"prototype":{}}}')),
  text('not JSON', fc.constantFrom('', ' ', '{', 'not json', '\u0000', '\uD800', '{"action":"joinChannel"')),
  text('deep nesting', fc.constantFrom(1_000, 2_000).map((depth) => '['.repeat(depth) + ']'.repeat(depth))),
  text('oversized', fc.constantFrom(4_097, 70_000, 1_000_000).map((length) => `"${'a'.repeat(length)}"`)),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ cls: 'binary', bytes: [...bytes] })),
  fc.constant<Frame>({ cls: 'binary JSON join', bytes: [...Buffer.from(`{"action":"joinChannel","data":{"authorizationToken":"${seedRef('profileToken')}"}}`)] }),
  fc.constantFrom([0xff, 0xfe], [0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d], [0xed, 0xa0, 0x80]).map((bytes): Frame => ({ cls: 'invalid UTF-8 text', bytes: [...bytes], invalidText: true })),
).map((frame) => (sizeOf(frame) > MAX_MESSAGE_BYTES ? { ...frame, cls: 'oversized' } : frame));

export interface FrameOutcome {
  reply?: string;
  closeCode?: number;
  error?: string;
}

/** Opens `/ws`, sends one frame, and waits for the first reply, a close, or the timeout. */
export async function sendFrame(url: string, frame: Frame, resolve: (text: string) => string, timeoutMs = 2_000): Promise<FrameOutcome> {
  const socket = new WebSocket(url);
  try {
    await new Promise<void>((opened, failed) => {
      socket.once('open', () => opened());
      socket.once('error', failed);
    });
  } catch (error) {
    return { error: `could not connect: ${(error as Error).message}` };
  }
  return new Promise<FrameOutcome>((done) => {
    const finish = (outcome: FrameOutcome) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      done(outcome);
    };
    const timer = setTimeout(() => finish({}), timeoutMs);
    socket.once('message', (data) => finish({ reply: data.toString() }));
    socket.once('close', (code) => finish({ closeCode: code }));
    socket.once('error', (error) => finish({ error: error.message }));
    if (frame.text !== undefined) socket.send(resolve(frame.text));
    else {
      const bytes = frame.invalidText ? Buffer.from(frame.bytes!) : Buffer.from(resolve(Buffer.from(frame.bytes!).toString('latin1')), 'latin1');
      socket.send(bytes, { binary: !frame.invalidText });
    }
  });
}

export const describeFrame = (frame: Frame): string =>
  frame.text !== undefined ? `text frame (${frame.text.length} chars): ${JSON.stringify(frame.text.slice(0, 200))}` : `${frame.invalidText ? 'text' : 'binary'} frame bytes: ${Buffer.from(frame.bytes!).toString('hex').slice(0, 200)}`;
