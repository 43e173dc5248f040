import { PassThrough } from 'node:stream';
import type { Socket } from 'node:net';
import { clientErrorHandler } from './edge-errors';

/** A socket that keeps what is written to it. */
function fakeSocket() {
  const socket = new PassThrough() as PassThrough & { written: string };
  socket.written = '';
  socket.on('data', (chunk: Buffer) => (socket.written += chunk.toString()));
  socket.on('error', () => undefined);
  return socket;
}

const answerTo = (code: string, requestLine?: string) => {
  const socket = fakeSocket();
  const error = Object.assign(new Error(code), { code, rawPacket: requestLine === undefined ? undefined : Buffer.from(`${requestLine}\r\nx-pad: aaaa`) });
  clientErrorHandler(error, socket as unknown as Socket);
  const [head, body] = socket.written.split('\r\n\r\n');
  return { statusLine: head.split('\r\n')[0], body: JSON.parse(body) as unknown, destroyed: socket.destroyed };
};

describe('clientErrorHandler', () => {
  it('answers what the HTTP parser refuses in the family its request line names, then closes the connection', () => {
    expect(answerTo('HPE_HEADER_OVERFLOW', 'GET /o/apps/ HTTP/1.1')).toEqual({
      statusLine: 'HTTP/1.1 431 Request Header Fields Too Large',
      body: { error: { code: 'headers_too_large', message: expect.any(String), details: {} } },
      destroyed: true,
    });
    expect(answerTo('HPE_HEADER_OVERFLOW', 'POST /oauth/token HTTP/1.1').body).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
    expect(answerTo('ERR_HTTP_REQUEST_TIMEOUT', 'POST /profile/authenticate HTTP/1.1')).toMatchObject({
      statusLine: 'HTTP/1.1 408 Request Timeout',
      body: { error: 'request_timeout', message: expect.any(String) },
    });
    expect(answerTo('HPE_INVALID_METHOD')).toMatchObject({ statusLine: 'HTTP/1.1 400 Bad Request', body: { error: 'malformed_body' } });
  });

  it('writes nothing on a connection the client already reset', () => {
    const socket = fakeSocket();
    clientErrorHandler(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), socket as unknown as Socket);
    expect(socket.written).toBe('');
  });
});
