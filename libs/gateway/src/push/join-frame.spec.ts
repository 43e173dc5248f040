import fc from 'fast-check';
import { parseFrame } from './join-frame';

const text = (value: string) => parseFrame(Buffer.from(value, 'utf8'), false);

describe('parseFrame', () => {
  it('reads a join with its token and correlation id', () => {
    expect(text('{"action":"joinChannel","data":{"authorizationToken":"t0k","correlationId":"c-1"}}')).toEqual({
      kind: 'join',
      correlationId: 'c-1',
      authorizationToken: 't0k',
    });
  });

  it('reads a join without a token as a join to refuse with 401, not as malformed', () => {
    expect(text('{"action":"joinChannel","data":{"correlationId":"c"}}')).toEqual({ kind: 'join', correlationId: 'c', authorizationToken: undefined });
  });

  it.each([
    ['null', null],
    ['42', null],
    ['[]', null],
    ['"str"', null],
    ['not json', null],
    ['{"action":"joinChannel","data":null}', null],
    ['{"action":"joinChannel","data":"x"}', null],
    ['{"action":"joinChannel","data":[1]}', null],
    ['{"action":"joinChannel"}', null],
    ['{"action":"leave","data":{"correlationId":"c-2"}}', 'c-2'],
    ['{"action":"joinChannel","data":{"authorizationToken":42,"correlationId":"c-3"}}', 'c-3'],
    ['{"action":"joinChannel","data":{"authorizationToken":{},"correlationId":"c-4"}}', 'c-4'],
    ['{"action":"joinChannel","data":{"authorizationToken":"a\\u0000b","correlationId":"c-5"}}', 'c-5'],
    ['{"action":"joinChannel","data":{"authorizationToken":"\\ud800","correlationId":"c-6"}}', 'c-6'],
    ['{"action":"joinChannel","data":{"authorizationToken":"t","correlationId":7}}', null],
    ['{"action":"joinChannel","data":{"authorizationToken":"t","correlationId":"\\udfff"}}', null],
    ['{"action":"joinChannel","data":{"authorizationToken":"t","correlationId":"nul\\u0000"}}', null],
    [`{"action":"joinChannel","data":{"authorizationToken":"t","correlationId":"${'c'.repeat(129)}"}}`, null],
  ])('refuses %s as malformed, answering correlation id %p', (frame, correlationId) => {
    expect(text(frame)).toMatchObject({ kind: 'invalid', correlationId, message: expect.any(String) });
  });

  it('refuses binary frames, whatever they hold', () => {
    expect(parseFrame(Buffer.from('{"action":"joinChannel","data":{"authorizationToken":"t"}}'), true)).toMatchObject({ kind: 'invalid', correlationId: null });
  });

  it('accepts a well-formed astral character (a surrogate pair) in a correlation id', () => {
    expect(text('{"action":"joinChannel","data":{"authorizationToken":"t","correlationId":"\\ud83d\\ude00"}}')).toMatchObject({ kind: 'join', correlationId: '😀' });
  });

  it('never throws, whatever bytes or JSON values arrive', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), fc.boolean(), (bytes, isBinary) => {
      expect(['join', 'invalid']).toContain(parseFrame(Buffer.from(bytes), isBinary).kind);
    }));
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(['join', 'invalid']).toContain(text(JSON.stringify(value) ?? 'null').kind);
    }));
    fc.assert(fc.property(fc.anything(), fc.anything(), (data, correlationId) => {
      const frame = JSON.stringify({ action: 'joinChannel', data: typeof data === 'object' && data !== null ? { ...data, correlationId } : data });
      expect(['join', 'invalid']).toContain(text(frame ?? 'null').kind);
    }));
  });

  it('reads fragmented and ArrayBuffer payloads like a Buffer', () => {
    const parts = [Buffer.from('{"action":"joinChannel",'), Buffer.from('"data":{"authorizationToken":"t"}}')];
    expect(parseFrame(parts, false)).toMatchObject({ kind: 'join', authorizationToken: 't' });
    const whole = Buffer.concat(parts);
    expect(parseFrame(whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.length) as ArrayBuffer, false)).toMatchObject({ kind: 'join' });
  });
});
