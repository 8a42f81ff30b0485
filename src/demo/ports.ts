/** Loopback ports for the demo: a free one, or a clear error when a fixed one is taken. */
import { createServer } from 'node:net';
import { CodedError, ErrorCode } from '../errors.js';
import { LOOPBACK_HOST } from './loopback.js';

function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, LOOPBACK_HOST, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** A port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const port = await tryListen(0);
  if (port === null) throw new CodedError(ErrorCode.CONFIG_INVALID, 'No free port on 127.0.0.1.');
  return port;
}

/** Throws an actionable error when `port` is taken. */
export async function ensurePortFree(port: number, what: string, envName: string): Promise<void> {
  if (port === 0) return;
  if ((await tryListen(port)) === null) {
    throw new CodedError(
      ErrorCode.CONFIG_INVALID,
      `Port ${port} (${what}) is already in use, perhaps by an earlier npm start. Stop that process, or set ${envName}=<port> (0 = any free port).`,
    );
  }
}
