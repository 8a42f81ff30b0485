/**
 * Pure rules of the Playground guard (playground-guard.ts): how to keep a listen() call on loopback and which
 * host a connect() is for. Separate so they can be tested without patching `net` in the test process.
 */
import { isLoopbackHost, LOOPBACK_HOST } from '../http/loopback.js';

export { isLoopbackHost, LOOPBACK_HOST };

export type ListenArgs = unknown[];

/** The same arguments, with the host forced to 127.0.0.1 when they listen on a TCP port. */
export function loopbackListenArgs(args: ListenArgs): ListenArgs {
  const [first, second] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog][, callback])
    if (typeof second === 'string') return isLoopbackHost(second) ? args : [first, LOOPBACK_HOST, ...args.slice(2)];
    return [first, LOOPBACK_HOST, ...args.slice(1)];
  }
  if (first === undefined || typeof first === 'function') return [0, LOOPBACK_HOST, ...args]; // listen([callback])
  if (typeof first === 'object' && first !== null && !('_handle' in first) && !('fd' in first)) {
    const options = first as { path?: unknown; host?: unknown };
    if (options.path !== undefined) return args; // a Unix socket
    if (typeof options.host === 'string' && isLoopbackHost(options.host)) return args;
    return [{ ...options, host: LOOPBACK_HOST }, ...args.slice(1)];
  }
  return args; // a path or a handle
}

/** The host a Socket#connect call is for, or null for a Unix socket. */
export function connectHost(args: unknown[]): string | null {
  // net.connect() hands Socket#connect its normalized arguments: [[options, callback]].
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const options = first as { path?: unknown; host?: unknown };
    if (typeof options.path === 'string') return null;
    return typeof options.host === 'string' ? options.host : 'localhost';
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return null; // a path
  return typeof args[1] === 'string' ? args[1] : 'localhost';
}
