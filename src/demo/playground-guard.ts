/**
 * Preloaded into the Agents Playground's process (`node --import …/playground-guard.js`, see playground.ts).
 * The Playground is a bundled third-party server: it listens on every interface and could call out. This keeps it
 * on this machine, whatever its code does:
 * - a server that names no host (or a wildcard host) listens on 127.0.0.1 only;
 * - outbound TCP connections to anything but loopback fail (telemetry is also turned off by flag);
 * - it exits when the process that started it goes away (its IPC channel closes), so it is never orphaned.
 * It imports only its own rules (loopback.ts): it runs in someone else's process.
 */
import net from 'node:net';
import { connectHost, isLoopbackHost, loopbackListenArgs, type ListenArgs } from './loopback.js';

function install(): void {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: ListenArgs) {
    return (listen as (...a: ListenArgs) => net.Server).apply(this, loopbackListenArgs(args));
  } as typeof listen;

  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const host = connectHost(args);
    if (host !== null && !isLoopbackHost(host)) {
      process.stderr.write(`playground-guard: blocked an outbound connection to ${host} (only this machine is allowed)\n`);
      const error = Object.assign(new Error(`Outbound connection to ${host} blocked: the demo stays on this machine.`), { code: 'ECONNREFUSED' });
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;

  if (process.channel) {
    process.channel.unref();
    process.once('disconnect', () => process.exit(0));
  }
}

install();
