/** The bot's membership check over HTTP against the sandbox's Graph stand-in: chunks, the cache, failures that never grant. */
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxCredential } from '../../src/azure/sandbox-credential.js';
import { GraphGroupDirectory, type GraphDirectoryOptions } from '../../src/directory/group-membership.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { testSeed } from '../sandbox/fixtures.js';

const PERSON = 'aaaa0000-0000-4000-8000-0000000000c1';
const group = (i: number) => `6b000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
/** 25 groups: PERSON is in the even ones directly, and in 1 through 2 (nested). */
const GROUPS = Array.from({ length: 25 }, (_, i) => group(i));
const MEMBER_OF = GROUPS.filter((_, i) => i % 2 === 0 || i === 1);

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function started(): Promise<RunningSandbox> {
  const groups: Record<string, string[]> = {};
  GROUPS.forEach((g, i) => (groups[g] = i % 2 === 0 ? [PERSON] : []));
  groups[group(1)] = [group(2)];
  sandbox = await startSandbox({ seed: { ...testSeed(), groups }, port: 0 });
  return sandbox;
}

function directory(s: RunningSandbox, options: Partial<GraphDirectoryOptions> = {}) {
  return new GraphGroupDirectory({ endpoint: s.url, credential: new SandboxCredential(s.url), cacheSeconds: 60, timeoutMs: 2_000, logger: silentLogger, ...options });
}

async function graphCalls(s: RunningSandbox): Promise<number> {
  const log = (await (await fetch(`${s.url}/_sandbox/requests`)).json()) as { path: string }[];
  return log.filter((r) => r.path.includes('/checkMemberGroups')).length;
}

/** A loopback port that was free a moment ago and has no listener now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const faults = (s: RunningSandbox, body: unknown) => fetch(`${s.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(body) });

describe('GraphGroupDirectory', () => {
  it('asks in chunks of 20 and answers the groups the person is in, transitively, in the order asked', async () => {
    const s = await started();
    const answer = await directory(s).checkMemberGroups(PERSON, GROUPS);
    expect(answer).toEqual({ ok: true, memberOf: MEMBER_OF });
    expect(await graphCalls(s)).toBe(2);
  });

  it('asks nothing for no groups', async () => {
    const s = await started();
    expect(await directory(s).checkMemberGroups(PERSON, [])).toEqual({ ok: true, memberOf: [] });
    expect(await graphCalls(s)).toBe(0);
  });

  it('keeps an answer per person and set of groups (in any order or case) until it is GROUP_CACHE_SECONDS old', async () => {
    const s = await started();
    let now = 1_000_000;
    const dir = directory(s, { cacheSeconds: 60, now: () => now });
    const few = GROUPS.slice(0, 3);
    await dir.checkMemberGroups(PERSON, few);
    await dir.checkMemberGroups(PERSON.toUpperCase(), [...few].reverse().map((g) => g.toUpperCase()));
    expect(await graphCalls(s)).toBe(1);
    await dir.checkMemberGroups(PERSON, GROUPS.slice(0, 2));
    expect(await graphCalls(s)).toBe(2);
    now += 61_000;
    expect(await dir.checkMemberGroups(PERSON, few)).toEqual({ ok: true, memberOf: [group(0), group(1), group(2)] });
    expect(await graphCalls(s)).toBe(3);
  });

  it('with GROUP_CACHE_SECONDS=0 asks every time', async () => {
    const s = await started();
    const dir = directory(s, { cacheSeconds: 0 });
    await dir.checkMemberGroups(PERSON, [group(0)]);
    await dir.checkMemberGroups(PERSON, [group(0)]);
    expect(await graphCalls(s)).toBe(2);
  });

  it('a 403 (no GroupMember.Read.All) is a reason, never a membership, and is not kept', async () => {
    const s = await started();
    const warnings: Record<string, unknown>[] = [];
    const logger: Logger = { ...silentLogger, warn: (_m, f) => warnings.push(f ?? {}) };
    const dir = directory(s, { logger });
    await faults(s, { graphDenied: true });
    const denied = await dir.checkMemberGroups(PERSON, [group(0)]);
    expect(denied).toEqual({
      ok: false,
      reason: "Microsoft Graph answered 403 Authorization_RequestDenied: the bot's identity needs the Graph application permissions GroupMember.Read.All and User.Read.All",
    });
    expect(JSON.stringify(warnings)).not.toMatch(/Bearer|eyJ/);
    await faults(s, { graphDenied: false });
    expect(await dir.checkMemberGroups(PERSON, [group(0)])).toEqual({ ok: true, memberOf: [group(0)] });
  });

  it('a 5xx, a timeout, a closed port and a missing token are reasons too', async () => {
    const s = await started();
    await faults(s, { failNext: [{ pathContains: 'checkMemberGroups', status: 503, count: 1 }] });
    expect(await directory(s).checkMemberGroups(PERSON, [group(0)])).toEqual({ ok: false, reason: 'Microsoft Graph answered 503 ServiceUnavailable' });

    await faults(s, { latencyMs: 400 });
    const slow = await directory(s, { timeoutMs: 100, credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) } }).checkMemberGroups(PERSON, [group(0)]);
    expect(slow).toEqual({ ok: false, reason: 'Microsoft Graph did not answer within 100 ms' });
    await faults(s, { latencyMs: 0 });

    const url = `http://127.0.0.1:${await closedPort()}`;
    const offline = await new GraphGroupDirectory({ endpoint: url, credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) }, cacheSeconds: 60, timeoutMs: 1_000, logger: silentLogger }).checkMemberGroups(PERSON, [group(0)]);
    expect(offline).toEqual({ ok: false, reason: 'Microsoft Graph could not be reached (ECONNREFUSED)' });

    const noToken = await new GraphGroupDirectory({ endpoint: url, credential: { getToken: async () => { throw new Error('ManagedIdentityCredential: no identity\nmore'); } }, cacheSeconds: 60, timeoutMs: 1_000, logger: silentLogger }).checkMemberGroups(PERSON, [group(0)]);
    expect(noToken).toEqual({ ok: false, reason: 'the bot got no token for Microsoft Graph (ManagedIdentityCredential: no identity)' });
  });

  it('asks Graph for the token of its own origin', async () => {
    const scopes: unknown[] = [];
    const dir = new GraphGroupDirectory({
      endpoint: 'http://127.0.0.1:9',
      credential: { getToken: async (scope) => (scopes.push(scope), null) },
      cacheSeconds: 60,
      timeoutMs: 100,
      logger: silentLogger,
    });
    expect(await dir.checkMemberGroups(PERSON, [group(0)])).toEqual({ ok: false, reason: 'the bot got no token for Microsoft Graph' });
    expect(scopes).toEqual(['http://127.0.0.1:9/.default']);
  });
});
