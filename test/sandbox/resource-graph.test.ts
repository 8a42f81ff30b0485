/**
 * The sandbox's Azure Resource Graph: the one query shape it parses, the shapes it refuses (Resource Graph's error
 * form), paging with $skipToken through the real SDK client, the scope it answers over, and the resourceGraph knob.
 */
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResourceGraphQuery, QueryShapeError } from '../../src/sandbox/resource-graph-query.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { manyInstanceId, manySubscriptionsEstate, subscriptionOf } from '../support/index.js';
import { authorize, clientOptions, sandboxToken } from './helpers.js';

const COLUMNS = 'id, name, type, location, resourceGroup, subscriptionId, sku, properties, tags';
const SHAPE = `resources | where type =~ 'microsoft.apimanagement/service' | project ${COLUMNS}`;
const named = (name: string) => `resources | where type =~ 'microsoft.apimanagement/service' | where name =~ '${name}' | project ${COLUMNS}`;

describe('parseResourceGraphQuery', () => {
  it('accepts the shape the bot sends, with or without the name, in any keyword case and spacing', () => {
    expect(parseResourceGraphQuery(SHAPE)).toEqual({ type: 'microsoft.apimanagement/service', name: null, columns: COLUMNS.split(', ') });
    expect(parseResourceGraphQuery("Resources|WHERE type=~\"Microsoft.Network/virtualNetworks\"|Where name =~ 'hub'|PROJECT id,name")).toEqual({
      type: 'Microsoft.Network/virtualNetworks',
      name: 'hub',
      columns: ['id', 'name'],
    });
    expect(parseResourceGraphQuery("\n resources\n | where type =~ 't'\n | where name =~ 'a\\'b\\\\c\\n'\n | project id \n").name).toBe("a'b\\c\n");
  });

  it.each([
    ['', "expected the table 'resources', found the end of the query", 0],
    ['securityresources | where type =~ \'x\' | project id', "expected the table 'resources', found 'securityresources'", 0],
    ["resources | where name =~ 'x' | project id", "expected 'type', found 'name'", 18],
    ["resources | where type == 'x' | project id", "expected '=~', found '='", 23],
    ["resources | where type =~ 'x' | project id, name | take 1", "expected the end of the query, found '|'", 49],
    ["resources | where type =~ x | project id", "expected a string literal, found 'x'", 26],
    ["resources | where type =~ 'x' | where location =~ 'y' | project id", "expected 'name', found 'location'", 38],
    ["resources | where type =~ 'x' | project", 'expected a column name, found the end of the query', 39],
    ["resources | where type =~ 'x' | project id, ID", "'ID' is not a column of the resources table", 44],
    ["resources | where type =~ 'x' | project id, id", "the column 'id' is projected twice", 44],
    ["resources | where type =~ 'x' | project id | limit 5", "expected the end of the query, found '|'", 43],
    ["resources | where type =~ 'x' | where name =~ 'y' | where name =~ 'z' | project id", "expected 'project', found 'where'", 52],
    ["resources | where type =~ 'x", 'a string literal is not closed', 26],
    ["resources | where type =~ 'x\\q' | project id", 'unknown escape \\q in a string literal', 28],
    ["resources | where type =~ 'x' | summarize count()", "expected 'project', found 'summarize'", 32],
  ])('refuses %j: %s', (query, message, position) => {
    let error: unknown;
    try {
      parseResourceGraphQuery(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueryShapeError);
    expect((error as QueryShapeError).message).toBe(message);
    expect((error as QueryShapeError).position).toBe(position);
  });
});

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function started(count = 30, options: Partial<SandboxOptions> = {}) {
  sandbox = await startSandbox({ seed: manySubscriptionsEstate(count, { shared: { name: 'twin', in: [2, 7] } }) as never, port: 0, ...options });
  return sandbox;
}

async function post(s: RunningSandbox, body: unknown, apiVersion = '2021-03-01') {
  const response = await fetch(`${s.url}/providers/Microsoft.ResourceGraph/resources?api-version=${apiVersion}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await sandboxToken(s.url)}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('POST /providers/Microsoft.ResourceGraph/resources', () => {
  it('answers a name query in the objectArray form over every subscription, rows as Resource Graph writes them', async () => {
    const s = await started();
    const { status, body } = await post(s, { query: named('TWIN'), options: { resultFormat: 'objectArray' } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ totalRecords: 2, count: 2, resultTruncated: 'false', facets: [] });
    expect(body.$skipToken).toBeUndefined();
    expect(body.data.map((r: any) => r.id)).toEqual([manyInstanceId(2, 'twin'), manyInstanceId(7, 'twin')]);
    expect(body.data[0]).toEqual({
      id: manyInstanceId(2, 'twin'),
      name: 'twin',
      type: 'microsoft.apimanagement/service',
      location: 'West Europe',
      resourceGroup: 'rg-apim',
      subscriptionId: subscriptionOf(2),
      sku: { name: 'StandardV2', capacity: 1 },
      properties: expect.objectContaining({ provisioningState: 'Succeeded', virtualNetworkType: 'None' }),
      tags: {},
    });
  });

  it('pages with $skipToken through the real SDK client, until no token comes back', async () => {
    const s = await started(30, { pageSize: 7 });
    const client = authorize(new ResourceGraphClient({ getToken: async () => null }, { ...clientOptions(s), apiVersion: '2021-03-01' }), s.url);
    const seen: string[] = [];
    let skipToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.resources({ query: SHAPE, options: { resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) } });
      pages++;
      expect(page.totalRecords).toBe(32);
      seen.push(...Object.values(page.data as Record<string, { id: string }>).map((r) => r.id));
      expect(page.count).toBe(Object.keys(page.data).length);
      skipToken = page.skipToken;
    } while (skipToken);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(32);
    expect(seen).toEqual([...seen].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it('honours $top and $skip, and refuses a $skipToken given with another query', async () => {
    const s = await started(10);
    const first = await post(s, { query: SHAPE, options: { $top: 4, $skip: 2 } });
    expect(first.body.count).toBe(4);
    expect(first.body.data[0].id).toBe(manyInstanceId(2, 'apim-2'));
    const other = await post(s, { query: named('apim-1'), options: { $skipToken: first.body.$skipToken } });
    expect(other.status).toBe(400);
    expect(other.body.error.details[1].code).toBe('InvalidSkipToken');
    const same = await post(s, { query: SHAPE, options: { $top: 4, $skipToken: first.body.$skipToken } });
    // Rows in id order: apim-0, apim-1, apim-2, twin (subscription 2), apim-3, apim-4, then apim-5 where the token points.
    expect(same.body.data[0].id).toBe(manyInstanceId(5, 'apim-5'));
  });

  it('answers over the subscriptions named in the body when there are any', async () => {
    const s = await started(10);
    const { body } = await post(s, { query: SHAPE, subscriptions: [subscriptionOf(3), subscriptionOf(7).toUpperCase()] });
    expect(body.data.map((r: any) => r.subscriptionId)).toEqual([subscriptionOf(3), subscriptionOf(7), subscriptionOf(7)]);
  });

  it("refuses another shape with Resource Graph's error form: 400 BadRequest, InvalidQuery first in the details", async () => {
    const s = await started(2);
    const { status, body } = await post(s, { query: "resources | where type =~ 'microsoft.apimanagement/service' | project id | limit 1" });
    expect(status).toBe(400);
    expect(body.error.code).toBe('BadRequest');
    expect(body.error.message).toMatch(/^Please provide below info when asking for support: timestamp = .+, correlationId = [0-9a-f-]{36}\.$/);
    expect(body.error.details).toEqual([
      { code: 'InvalidQuery', message: 'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.' },
      { code: 'ParserFailure', message: "expected the end of the query, found '|' (at character 73)" },
    ]);
  });

  it.each([
    [{}, 'MissingQuery'],
    [{ query: SHAPE, managementGroups: ['mg'] }, 'UnsupportedScope'],
    [{ query: SHAPE, options: { resultFormat: 'table' } }, 'UnsupportedResultFormat'],
    [{ query: SHAPE, options: { $top: 0 } }, 'InvalidOptions'],
    [{ query: SHAPE, options: { $top: 1001 } }, 'InvalidOptions'],
    [{ query: SHAPE, options: { $skipToken: 'not-a-token' } }, 'InvalidSkipToken'],
    [{ query: SHAPE, subscriptions: 'all' }, 'InvalidSubscriptions'],
  ])('refuses a bad body %j (%s) in the same form', async (body, code) => {
    const s = await started(1);
    const answer = await post(s, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('BadRequest');
    expect(answer.body.error.details.map((d: any) => d.code)).toEqual(['InvalidQuery', code]);
  });

  it('the resourceGraph knob refuses (403 AuthorizationFailed) or fails (500); other ARM calls still answer', async () => {
    const s = await started(1);
    const knob = (resourceGraph: string) => fetch(`${s.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ resourceGraph }) });
    await knob('denied');
    const denied = await post(s, { query: SHAPE });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('AuthorizationFailed');
    expect(denied.body.error.message).toContain('Microsoft.ResourceGraph/resources/read');
    await knob('failing');
    expect((await post(s, { query: SHAPE })).status).toBe(500);
    expect((await fetch(`${s.url}/subscriptions?api-version=2022-12-01`, { headers: { authorization: `Bearer ${await sandboxToken(s.url)}` } })).status).toBe(200);
    expect((await knob('sometimes')).status).toBe(400);
    await knob('available');
    expect((await post(s, { query: SHAPE })).status).toBe(200);
  });

  it('needs a bearer token, as ARM does', async () => {
    const s = await started(1);
    const response = await fetch(`${s.url}/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01`, { method: 'POST', body: JSON.stringify({ query: SHAPE }) });
    expect(response.status).toBe(401);
  });
});
