/** Free TCP ports, for tests that run several stacks or must not collide with `npm start`. */
import { createServer } from 'node:net';

/**
 * Asks the kernel for a free port on 127.0.0.1 and releases it. Another process could take it
 * before the emulator binds it; the window is tiny and the emulator then fails loudly.
 * Needed because cognito-local writes its PORT into the token issuer (port 0 would give
 * `http://127.0.0.1:0/...`) and DynamoDB Local does not report the port it bound.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('No free port'))));
    });
  });
}

export async function portOrFree(port: number | undefined, fallback: number): Promise<number> {
  const chosen = port ?? fallback;
  return chosen === 0 ? freePort() : chosen;
}
