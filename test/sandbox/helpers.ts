/**
 * Test helpers: real Azure SDK clients pointed at the sandbox. The SDK's bearer-token policy refuses
 * plain http, so it is removed and replaced by a tiny policy that sends a token from /_sandbox/token.
 */
import { ApiManagementClient } from '@azure/arm-apimanagement';
import { NetworkManagementClient } from '@azure/arm-network';
import type { TokenCredential } from '@azure/identity';
import type { Pipeline, PipelinePolicy } from '@azure/core-rest-pipeline';
import { afterEach, beforeEach } from 'vitest';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { SUB_A, testSeed } from './fixtures.js';

/** Never called once the bearer policy is removed; the clients just require a credential. */
export const unusedCredential: TokenCredential = {
  getToken: async () => ({ token: 'unused', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export async function sandboxToken(baseUrl: string, oid?: string): Promise<string> {
  const res = await fetch(`${baseUrl}/_sandbox/token${oid ? `?oid=${encodeURIComponent(oid)}` : ''}`);
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

export function sandboxAuthPolicy(baseUrl: string, oid?: string): PipelinePolicy {
  let token: Promise<string> | undefined;
  return {
    name: 'sandboxTestAuthPolicy',
    async sendRequest(request, next) {
      token ??= sandboxToken(baseUrl, oid);
      request.headers.set('Authorization', `Bearer ${await token}`);
      return next(request);
    },
  };
}

/** Swaps the client's bearer policy for the sandbox token policy (as `oid`, default the bot). */
export function authorize<T extends { pipeline: Pipeline }>(client: T, baseUrl: string, oid?: string): T {
  client.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
  client.pipeline.addPolicy(sandboxAuthPolicy(baseUrl, oid), { phase: 'Sign' });
  return client;
}

/** Client options for the sandbox: its endpoint over http, and quick retries. */
export function clientOptions(sandbox: RunningSandbox) {
  return {
    endpoint: sandbox.url,
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  };
}

export async function start(options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  return startSandbox({ seed: testSeed(), lroSeconds: 0.2, ...options });
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  time: string;
}

export async function requestLog(sandbox: RunningSandbox): Promise<LoggedRequest[]> {
  return (await (await fetch(`${sandbox.url}/_sandbox/requests`)).json()) as LoggedRequest[];
}

export async function clearLog(sandbox: RunningSandbox): Promise<void> {
  await fetch(`${sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
}

export async function setFaults(sandbox: RunningSandbox, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Raw ARM call with a bearer token (for shapes the SDK hides). */
export async function arm(sandbox: RunningSandbox, method: string, path: string, body?: unknown, oid?: string): Promise<{ status: number; headers: Headers; body: any }> {
  const token = await sandboxToken(sandbox.url, oid);
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Error code of a rejected SDK call. */
export async function errorCode(p: Promise<unknown>): Promise<{ statusCode?: number; code?: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { statusCode?: number; code?: string };
    return { statusCode: err.statusCode, code: err.code };
  }
  throw new Error('expected the call to fail');
}

export async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}

export interface FreshSandbox {
  /** The sandbox of the running test. */
  readonly sandbox: RunningSandbox;
  network(oid?: string, subscriptionId?: string): NetworkManagementClient;
  apiManagement(oid?: string): ApiManagementClient;
  /** Closes the test's sandbox and starts another in its place (e.g. on a seed of the test's own). */
  restart(options: Partial<SandboxOptions>): Promise<void>;
}

/** A sandbox on `testSeed()` started before each test of the suite and closed after it, with SDK clients on it. */
export function useFreshSandbox(options: Partial<SandboxOptions> = {}): FreshSandbox {
  let current: RunningSandbox | undefined;
  beforeEach(async () => {
    current = await start(options);
  });
  afterEach(() => current?.close());
  const sandbox = (): RunningSandbox => {
    if (!current) throw new Error('useFreshSandbox: no test is running');
    return current;
  };
  return {
    get sandbox() {
      return sandbox();
    },
    network: (oid, subscriptionId = SUB_A) => authorize(new NetworkManagementClient(unusedCredential, subscriptionId, clientOptions(sandbox())), sandbox().url, oid),
    apiManagement: (oid) => authorize(new ApiManagementClient(unusedCredential, SUB_A, clientOptions(sandbox())), sandbox().url, oid),
    async restart(replacement) {
      await current?.close();
      current = await start({ ...options, ...replacement });
    },
  };
}
