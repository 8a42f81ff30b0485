import { ApiManagementClient } from '@azure/arm-apimanagement';
import { NetworkManagementClient } from '@azure/arm-network';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { NSG, SUB_A, SUB_B, VNET, apim, subnet } from './fixtures.js';
import { arm, authorize, clientOptions, collect, errorCode, requestLog, start, unusedCredential } from './helpers.js';

describe('sandbox reads through the real SDK clients', () => {
  let sandbox: RunningSandbox;
  let network: NetworkManagementClient;
  let apimClient: ApiManagementClient;

  beforeAll(async () => {
    sandbox = await start({ pageSize: 2 });
    network = authorize(new NetworkManagementClient(unusedCredential, SUB_A, clientOptions(sandbox)), sandbox.url);
    apimClient = authorize(new ApiManagementClient(unusedCredential, SUB_A, clientOptions(sandbox)), sandbox.url);
  });
  afterAll(() => sandbox.close());

  it('binds to 127.0.0.1', () => {
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
  });

  it('lists the subscriptions the seed lives in', async () => {
    const client = authorize(new SubscriptionClient(unusedCredential, clientOptions(sandbox)), sandbox.url);
    const subs = await collect(client.subscriptions.list());
    expect(subs.map((s) => s.subscriptionId).sort()).toEqual([SUB_A, SUB_B].sort());
    expect(subs[0]?.state).toBe('Enabled');
    expect(subs[0]?.tenantId).toBeTruthy();
    const one = await client.subscriptions.get(SUB_B);
    expect(one.id).toBe(`/subscriptions/${SUB_B}`);
  });

  it('gets an API Management service as ARM returns it', async () => {
    const svc = await apimClient.apiManagementService.get('rg-apim', 'apim-std');
    expect(svc.id).toBe(apim('apim-std'));
    expect(svc.sku.name).toBe('StandardV2');
    expect(svc.provisioningState).toBe('Succeeded');
    expect(svc.virtualNetworkType).toBe('None');
  });

  it('compares ids case-insensitively', async () => {
    const svc = await apimClient.apiManagementService.get('RG-APIM', 'APIM-STD');
    expect(svc.name).toBe('apim-std');
  });

  it('embeds full subnets in VNets and serves subnets by their own id', async () => {
    const vnet = await network.virtualNetworks.get('rg-net', 'vnet-weu');
    expect(vnet.subnets?.length).toBe(9);
    const good = vnet.subnets?.find((s) => s.name === 'snet-good');
    expect(good?.id).toBe(subnet('snet-good'));
    expect(good?.type).toBe('Microsoft.Network/virtualNetworks/subnets');
    expect(good?.delegations?.[0]?.serviceName).toBe('Microsoft.Web/serverFarms');
    const byId = await network.subnets.get('rg-net', 'vnet-weu', 'snet-multi');
    expect(byId.addressPrefixes).toEqual(['10.0.9.0/28', '10.0.10.0/26']);
    expect(byId.provisioningState).toBe('Succeeded');
  });

  it('adds the six default security rules and keeps NSG subnet back-references', async () => {
    const nsg = await network.networkSecurityGroups.get('rg-net', 'nsg-apim');
    expect(nsg.defaultSecurityRules?.map((r) => [r.name, r.priority, r.direction])).toEqual([
      ['AllowVnetInBound', 65000, 'Inbound'],
      ['AllowAzureLoadBalancerInBound', 65001, 'Inbound'],
      ['DenyAllInBound', 65500, 'Inbound'],
      ['AllowVnetOutBound', 65000, 'Outbound'],
      ['AllowInternetOutBound', 65001, 'Outbound'],
      ['DenyAllOutBound', 65500, 'Outbound'],
    ]);
    expect(nsg.securityRules?.[0]?.destinationAddressPrefix).toBe('Storage');
    expect(nsg.subnets?.map((s) => s.id).sort()).toEqual([subnet('snet-good'), subnet('snet-good2'), subnet('snet-nodeleg'), subnet('snet-small')].sort());
    expect(nsg.id).toBe(NSG);
  });

  it('pages lists with nextLink on its own base URL (page size 2)', async () => {
    const all = await collect(network.virtualNetworks.listAll());
    expect(all.map((v) => v.name).sort()).toEqual(['vnet-neu', 'vnet-weu', 'vnet-x1', 'vnet-x2']);
    const pages = await collect(network.subnets.list('rg-net', 'vnet-weu').byPage());
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 2, 1]);
    const services = await collect(apimClient.apiManagementService.listByResourceGroup('rg-apim'));
    expect(services).toHaveLength(7);
    const first = await arm(sandbox, 'GET', `/subscriptions/${SUB_A}/providers/Microsoft.Network/virtualNetworks?api-version=2024-05-01`);
    expect(first.body.value).toHaveLength(2);
    const next = new URL(first.body.nextLink as string);
    expect(next.origin).toBe(sandbox.url);
    expect(next.searchParams.get('api-version')).toBe('2024-05-01');
    expect(next.searchParams.get('$skiptoken')).toBe('2');
    const last = await arm(sandbox, 'GET', next.pathname + next.search);
    expect(last.body.value).toHaveLength(2);
    expect(last.body.nextLink).toBeUndefined();
  });

  it('lists by resource group and by subscription only the matching type', async () => {
    const inRg = await collect(network.virtualNetworks.list('rg-extra'));
    expect(inRg.map((v) => v.name).sort()).toEqual(['vnet-x1', 'vnet-x2']);
    const nsgs = await collect(network.networkSecurityGroups.listAll());
    expect(nsgs.map((n) => n.name)).toEqual(['nsg-apim']);
  });

  it('answers ARM 404s', async () => {
    expect(await errorCode(apimClient.apiManagementService.get('rg-apim', 'nope'))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
    expect(await errorCode(apimClient.apiManagementService.get('rg-nope', 'apim-std'))).toEqual({ statusCode: 404, code: 'ResourceGroupNotFound' });
    expect(await errorCode(network.subnets.get('rg-net', 'vnet-weu', 'nope'))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
    const body = (await arm(sandbox, 'GET', `${VNET}/subnets/nope?api-version=2024-05-01`)).body;
    expect(body.error.code).toBe('ResourceNotFound');
    expect(typeof body.error.message).toBe('string');
    const otherSub = await arm(sandbox, 'GET', `/subscriptions/33333333-3333-4333-8333-333333333333/resourceGroups/x/providers/Microsoft.Network/virtualNetworks/y`);
    expect(otherSub.status).toBe(404);
    expect(otherSub.body.error.code).toBe('SubscriptionNotFound');
  });

  it('answers 401 AuthenticationFailed without a bearer token, and logs it', async () => {
    const res = await fetch(`${sandbox.url}${apim('apim-std')}?api-version=2024-05-01`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('AuthenticationFailed');
    const log = await requestLog(sandbox);
    expect(log.at(-1)).toMatchObject({ method: 'GET', status: 401, path: `${apim('apim-std')}?api-version=2024-05-01` });
  });

  it('answers 401 ExpiredAuthenticationToken for an expired JWT', async () => {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const expired = `${part({ alg: 'none', typ: 'JWT' })}.${part({ oid: 'x', exp: 1000 })}.`;
    const res = await fetch(`${sandbox.url}${apim('apim-std')}?api-version=2024-05-01`, { headers: { authorization: `Bearer ${expired}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ExpiredAuthenticationToken');
  });

  it('answers 501 NotImplementedInSandbox for writes it does not model', async () => {
    const res = await arm(sandbox, 'DELETE', `${apim('apim-std')}?api-version=2024-05-01`);
    expect(res.status).toBe(501);
    expect(res.body.error.code).toBe('NotImplementedInSandbox');
  });

  it('treats a bearer value that is not a JWT as the bot', async () => {
    const res = await fetch(`${sandbox.url}${apim('apim-std')}?api-version=2024-05-01`, { headers: { authorization: 'Bearer opaque-token' } });
    expect(res.status).toBe(200);
  });

  it('issues unsigned JWTs for the bot by default and for any oid', async () => {
    const body = (await (await fetch(`${sandbox.url}/_sandbox/token?oid=someone`, { method: 'POST' })).json()) as Record<string, unknown>;
    expect(body['token_type']).toBe('Bearer');
    expect(body['expires_in']).toBe(3600);
    const [header, payload] = String(body['access_token']).split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({ alg: 'none', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    expect(claims).toMatchObject({ oid: 'someone', iss: 'apim-vnet-bot-sandbox' });
    expect(claims.exp).toBe(body['expires_on']);
    const bot = (await (await fetch(`${sandbox.url}/_sandbox/token`)).json()) as Record<string, unknown>;
    const botClaims = JSON.parse(Buffer.from(String(bot['access_token']).split('.')[1] ?? '', 'base64url').toString());
    expect(botClaims.oid).toBe('b0b00000-0000-4000-8000-000000000001');
  });

  it('serves raw stored documents under /_sandbox/resources', async () => {
    const res = await fetch(`${sandbox.url}/_sandbox/resources${subnet('snet-good')}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { name: string }).name).toBe('snet-good');
  });
});
