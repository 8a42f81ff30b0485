/** The sandbox's stand-in for Microsoft Graph's checkMemberGroups: Graph's shapes, transitive membership, Graph's errors. */
import { describe, expect, it } from 'vitest';
import { BOT, GROUP_INNER, GROUP_OUTER, NOBODY, READER, testSeed } from './fixtures.js';
import { clearLog, requestLog, sandboxToken, setFaults, useFreshSandbox } from './helpers.js';

const fresh = useFreshSandbox();
const OTHER_GROUP = '6a000000-0000-4000-8000-0000000000ff';

async function check(objectId: string, body: unknown, options: { token?: string | null; method?: string } = {}) {
  const token = options.token === undefined ? await sandboxToken(fresh.sandbox.url) : options.token;
  const res = await fetch(`${fresh.sandbox.url}/v1.0/directoryObjects/${objectId}/checkMemberGroups`, {
    method: options.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    ...(options.method === 'GET' ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('POST /v1.0/directoryObjects/{id}/checkMemberGroups', () => {
  it('answers the asked groups the object belongs to, directly or through nested groups, in Graph\'s shape', async () => {
    const answer = await check(BOT, { groupIds: [GROUP_OUTER, OTHER_GROUP, GROUP_INNER] });
    expect(answer.status).toBe(200);
    expect(answer.body.value).toEqual([GROUP_OUTER, GROUP_INNER]);
    expect(answer.body['@odata.context']).toMatch(/\$metadata#Collection\(Edm\.String\)$/);
  });

  it('follows a chain of nested groups, whatever the case of the ids', async () => {
    const top = '6a000000-0000-4000-8000-0000000000a1';
    const middle = '6a000000-0000-4000-8000-0000000000a2';
    await fresh.restart({ seed: { ...testSeed(), groups: { [top]: [middle.toUpperCase()], [middle]: [READER] } } });
    expect((await check(READER, { groupIds: [top.toUpperCase(), OTHER_GROUP] })).body.value).toEqual([top.toUpperCase()]);
    expect((await check(READER.toUpperCase(), { groupIds: [middle] })).body.value).toEqual([middle]);
  });

  it('an object in no group, or one the seed does not know, is a member of none', async () => {
    expect((await check(READER, { groupIds: [GROUP_INNER] })).body).toMatchObject({ value: [] });
    expect((await check(NOBODY, { groupIds: [GROUP_OUTER] })).body).toMatchObject({ value: [] });
  });

  it('a group never counts as a member of itself', async () => {
    expect((await check(GROUP_INNER, { groupIds: [GROUP_INNER, GROUP_OUTER] })).body.value).toEqual([GROUP_OUTER]);
  });

  it.each([
    ['not JSON', '{', 'The request body is not valid JSON.'],
    ['no groupIds', {}, 'The body must be'],
    ['an empty list', { groupIds: [] }, 'The body must be'],
    ['ids that are not GUIDs', { groupIds: ['grp-platform'] }, 'The body must be'],
    ['more than 20 ids', { groupIds: Array.from({ length: 21 }, (_, i) => `6a000000-0000-4000-8000-${String(i).padStart(12, '0')}`) }, 'Too many groupIds'],
  ])('a bad body (%s) is 400 Request_BadRequest', async (_what, body, message) => {
    const answer = await check(BOT, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('Request_BadRequest');
    expect(answer.body.error.message).toContain(message);
  });

  it('an object id that is not a GUID is 400', async () => {
    expect((await check('alice', { groupIds: [GROUP_INNER] })).body.error).toMatchObject({ code: 'Request_BadRequest', message: "Invalid object identifier 'alice'." });
  });

  it('no bearer token, or an expired one, is 401 InvalidAuthenticationToken', async () => {
    const missing = await check(BOT, { groupIds: [GROUP_INNER] }, { token: null });
    expect(missing).toEqual({ status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } } });
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const expired = `${b64({ alg: 'none' })}.${b64({ oid: BOT, exp: 1 })}.`;
    expect((await check(BOT, { groupIds: [GROUP_INNER] }, { token: expired })).body.error.code).toBe('InvalidAuthenticationToken');
  });

  it('another method is 405, another Graph path 404', async () => {
    expect((await check(BOT, null, { method: 'GET' })).status).toBe(405);
    const res = await fetch(`${fresh.sandbox.url}/v1.0/users/${BOT}/memberOf`, { headers: { authorization: 'Bearer x' } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.code).toBe('Request_ResourceNotFound');
  });

  it('the graphDenied knob answers 403 Authorization_RequestDenied until it is turned off', async () => {
    expect((await setFaults(fresh.sandbox, { graphDenied: true })).status).toBe(200);
    const denied = await check(BOT, { groupIds: [GROUP_INNER] });
    expect(denied).toEqual({ status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } });
    await setFaults(fresh.sandbox, { graphDenied: false });
    expect((await check(BOT, { groupIds: [GROUP_INNER] })).status).toBe(200);
    expect((await setFaults(fresh.sandbox, { graphDenied: 'yes' })).status).toBe(400);
  });

  it('failNext rules reach Graph calls too (a 503 from Graph)', async () => {
    await setFaults(fresh.sandbox, { failNext: [{ pathContains: 'checkMemberGroups', status: 503, count: 1 }] });
    expect((await check(BOT, { groupIds: [GROUP_INNER] })).status).toBe(503);
    expect((await check(BOT, { groupIds: [GROUP_INNER] })).status).toBe(200);
  });

  it('every call is in the request log, so tests can count them', async () => {
    await clearLog(fresh.sandbox);
    await check(BOT, { groupIds: [GROUP_INNER] });
    await check(BOT, {});
    const calls = (await requestLog(fresh.sandbox)).filter((r) => r.path.includes('/checkMemberGroups'));
    expect(calls.map((r) => [r.method, r.status])).toEqual([
      ['POST', 200],
      ['POST', 400],
    ]);
  });
});
