/** The embedded ARM-compatible HTTP server (node:http, bound to 127.0.0.1). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestContext, SandboxState } from './context.js';
import { ArmError } from './errors.js';
import { Faults } from './faults.js';
import { errorReply, parseJsonObject, readBody, sendReply, type Reply } from './http.js';
import { normalizePath } from './ids.js';
import { Operations } from './lro.js';
import { RequestLog } from './request-log.js';
import { route } from './router.js';
import { handleGraph, isGraphPath } from './routes-graph.js';
import { handleControl } from './routes-control.js';
import { validateSeed } from './seed.js';
import { Store } from './store.js';
import { callerOf } from './token.js';
import type { RunningSandbox, SandboxOptions } from './types.js';

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const seed = validateSeed(options.seed, 'startSandbox options.seed');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be an integer between 0 and 65535, got ${String(port)}`);
  const faults = new Faults(
    {
      latencyMs: options.latencyMs ?? 0,
      lroSeconds: options.lroSeconds ?? 2,
      pageSize: options.pageSize ?? 100,
      throttleRate: options.throttleRate ?? 0,
      errorRate: options.errorRate ?? 0,
      failLro: options.failLro ?? false,
      graphDenied: options.graphDenied ?? false,
      resourceGraph: options.resourceGraph ?? 'available',
    },
    options.randomSeed ?? 1,
  );
  const state: SandboxState = { store: new Store(seed), ops: new Operations(), faults, log: new RequestLog(), baseUrl: '' };
  const server = createServer((req, res) => {
    void handle(state, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  state.baseUrl = `http://127.0.0.1:${actualPort}`;
  let closing: Promise<void> | undefined;
  return {
    url: state.baseUrl,
    port: actualPort,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handle(state: SandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const arrival = new Date();
  const rawUrl = req.url ?? '/';
  const method = (req.method ?? 'GET').toUpperCase();
  // Parse the path ourselves: a leading `//` (SDK scope trap) would otherwise be read as a host name.
  const q = rawUrl.indexOf('?');
  const url = new URL('http://127.0.0.1' + normalizePath(q < 0 ? rawUrl : rawUrl.slice(0, q)) + (q < 0 ? '' : rawUrl.slice(q)));
  const isControl = url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/');
  let reply: Reply;
  if (!isControl) state.log.begin();
  try {
    const bodyText = await readBody(req);
    const latency = state.faults.knobs.latencyMs;
    if (latency > 0) await sleep(latency);
    if (isControl) reply = handleControl(state, method, url, bodyText);
    else if (isGraphPath(url.pathname)) reply = handleGraph(state, req, method, url, bodyText);
    else reply = handleArm(state, req, method, url, bodyText);
  } catch (e) {
    if (e instanceof ArmError) reply = errorReply(e);
    else {
      process.stderr.write(`sandbox: internal error on ${method} ${rawUrl}: ${(e as Error).stack ?? String(e)}\n`);
      reply = errorReply(new ArmError(500, 'InternalServerError', `The sandbox failed: ${(e as Error).message}`));
    }
  }
  if (!res.destroyed) sendReply(res, reply);
  if (!isControl) {
    state.log.end();
    const clientRequestId = req.headers['x-ms-client-request-id'];
    state.log.add({ method, path: rawUrl, status: reply.status, time: arrival.toISOString(), ...(typeof clientRequestId === 'string' ? { clientRequestId } : {}) });
  }
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function handleArm(state: SandboxState, req: IncomingMessage, method: string, url: URL, bodyText: string): Reply {
  const now = Date.now();
  state.ops.tick(now);
  const injected = state.faults.pick(method, req.url ?? '/');
  if (injected) return injected;
  const caller = callerOf(req.headers.authorization, state.store.botPrincipalId, now);
  const segments = normalizePath(url.pathname).split('/').filter((s) => s !== '').map(decodeSegment);
  const ctx: RequestContext = {
    state,
    method,
    path: '/' + segments.join('/'),
    segments,
    query: url.searchParams,
    body: method === 'PUT' || method === 'PATCH' || method === 'POST' ? parseJsonObject(bodyText) : undefined,
    caller,
    now,
  };
  return route(ctx);
}
