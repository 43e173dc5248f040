import * as argon2 from 'argon2';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The authenticate row's baseline: an HTTP server that does nothing but verify one argon2id hash per
 * request. The hash comes from our own hashPassword (BENCH_HASH), so the parameters are ours; the
 * password is read from the form body like /profile/authenticate reads it.
 * Prints `{"port":N}` on stdout once listening on 127.0.0.1.
 */
const hash = process.env.BENCH_HASH ?? '';
if (!hash.startsWith('$argon2id$')) throw new Error('BENCH_HASH must be an argon2id hash');

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const password = new URLSearchParams(Buffer.concat(chunks).toString()).get('password') ?? '';
    argon2.verify(hash, password).then(
      (ok) => {
        response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ok }));
      },
      () => {
        response.writeHead(500);
        response.end();
      },
    );
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
