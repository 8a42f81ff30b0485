import { NetworkManagementClient } from '@azure/arm-network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, validateSeed, type RunningSandbox, type SandboxSeed } from '../../src/sandbox/index.js';
import { BOT, RG_NET, ROLE, SUB_A, testSeed, subnet } from './fixtures.js';
import { arm, authorize, clientOptions, collect, errorCode, requestLog, unusedCredential } from './helpers.js';

const RT = (name: string, group = RG_NET) => `${group}/providers/Microsoft.Network/routeTables/${name}`;
const RG_HUB = `/subscriptions/${SUB_A}/resourceGroups/rg-hub`;
const FAST = { updateIntervalInMs: 20 };

function routeTableDoc(id: string, routes: Record<string, unknown>[]) {
  return { id, name: id.split('/').pop() ?? '', type: 'Microsoft.Network/routeTables', location: 'westeurope', properties: { routes } };
}

/** The sandbox test seed plus three route tables: snet-good and snet-good2 send 0.0.0.0/0 to a firewall. */
function seedWithRoutes(): SandboxSeed {
  const seed = testSeed();
  seed.resources.push(
    routeTableDoc(RT('rt-firewall'), [
      { name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' } },
      { name: 'onprem', properties: { addressPrefix: '192.168.0.0/16', nextHopType: 'VirtualNetworkGateway' } },
    ]),
    routeTableDoc(RT('rt-internet'), [{ name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'Internet' } }]),
    routeTableDoc(RT('rt-hub', RG_HUB), []),
  );
  const vnet = seed.resources.find((r) => r.name === 'vnet-weu')!;
  for (const s of vnet.properties!['subnets'] as { name: string; properties: Record<string, unknown> }[]) {
    if (s.name === 'snet-good' || s.name === 'snet-good2') s.properties['routeTable'] = { id: RT('rt-firewall') };
  }
  // The bot may write subnets in rg-net (Network Contributor), as the apply needs.
  seed.resources.push({
    id: `${RG_NET}/providers/Microsoft.Authorization/roleAssignments/0e000000-0000-4000-8000-00000000e001`,
    name: '0e000000-0000-4000-8000-00000000e001',
    type: 'Microsoft.Authorization/roleAssignments',
    properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${ROLE.network}`, principalId: BOT, principalType: 'ServicePrincipal', scope: RG_NET },
  });
  return seed;
}

describe('route tables in the sandbox, through the real SDK client', () => {
  let sandbox: RunningSandbox;
  let network: NetworkManagementClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: seedWithRoutes(), port: 0, lroSeconds: 0.1, pageSize: 2 });
    network = authorize(new NetworkManagementClient(unusedCredential, SUB_A, clientOptions(sandbox)), sandbox.url);
  });
  afterAll(() => sandbox.close());

  it('GET one: its routes as ARM returns them, ids filled in, and the subnets that use it', async () => {
    const table = await network.routeTables.get('rg-net', 'rt-firewall');
    expect(table.id).toBe(RT('rt-firewall'));
    expect(table.type).toBe('Microsoft.Network/routeTables');
    expect(table.provisioningState).toBe('Succeeded');
    expect(table.routes?.map((r) => [r.name, r.addressPrefix, r.nextHopType, r.nextHopIpAddress])).toEqual([
      ['default', '0.0.0.0/0', 'VirtualAppliance', '10.0.0.4'],
      ['onprem', '192.168.0.0/16', 'VirtualNetworkGateway', undefined],
    ]);
    expect(table.routes?.[0]?.id).toBe(`${RT('rt-firewall')}/routes/default`);
    expect(table.subnets?.map((s) => s.id).sort()).toEqual([subnet('snet-good'), subnet('snet-good2')].sort());
    const unused = await network.routeTables.get('rg-net', 'rt-internet');
    expect(unused.subnets).toBeUndefined();
  });

  it('a subnet names its table in properties.routeTable', async () => {
    const s = await network.subnets.get('rg-net', 'vnet-weu', 'snet-good');
    expect(s.routeTable?.id).toBe(RT('rt-firewall'));
  });

  it('lists per subscription and per resource group, paged with nextLink', async () => {
    const pages = await collect(network.routeTables.listAll().byPage());
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    expect(pages.flat().map((t) => t.name).sort()).toEqual(['rt-firewall', 'rt-hub', 'rt-internet']);
    expect((await collect(network.routeTables.list('rg-net'))).map((t) => t.name).sort()).toEqual(['rt-firewall', 'rt-internet']);
    expect((await collect(network.routeTables.list('rg-hub'))).map((t) => t.name)).toEqual(['rt-hub']);
    const first = await arm(sandbox, 'GET', `/subscriptions/${SUB_A}/providers/Microsoft.Network/routeTables?api-version=2025-05-01`);
    expect(new URL(first.body.nextLink as string).searchParams.get('$skiptoken')).toBe('2');
    const log = await requestLog(sandbox);
    expect(log.some((r) => r.path.includes('/routeTables?api-version=2025-05-01') && r.status === 200)).toBe(true);
  });

  it('GET and list of the routes themselves', async () => {
    expect((await network.routes.get('rg-net', 'rt-firewall', 'onprem')).nextHopType).toBe('VirtualNetworkGateway');
    expect((await collect(network.routes.list('rg-net', 'rt-firewall'))).map((r) => r.name)).toEqual(['default', 'onprem']);
    expect(await errorCode(network.routes.get('rg-net', 'rt-firewall', 'nope'))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
    expect(await errorCode(network.routeTables.get('rg-net', 'nope'))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it('a full-body subnet PUT keeps the route table; a reference to no route table is refused', async () => {
    const current = await network.subnets.get('rg-net', 'vnet-weu', 'snet-good2');
    await (await network.subnets.beginCreateOrUpdate('rg-net', 'vnet-weu', 'snet-good2', current, FAST)).pollUntilDone();
    expect((await network.subnets.get('rg-net', 'vnet-weu', 'snet-good2')).routeTable?.id).toBe(RT('rt-firewall'));
    const broken = { ...current, routeTable: { id: RT('rt-missing') } };
    expect(await errorCode(network.subnets.beginCreateOrUpdate('rg-net', 'vnet-weu', 'snet-good2', broken, FAST))).toEqual({
      statusCode: 400,
      code: 'InvalidResourceReference',
    });
  });

  it('back-references follow a subnet that changes its table', async () => {
    const current = await network.subnets.get('rg-net', 'vnet-weu', 'snet-good2');
    await (await network.subnets.beginCreateOrUpdate('rg-net', 'vnet-weu', 'snet-good2', { ...current, routeTable: { id: RT('rt-internet') } }, FAST)).pollUntilDone();
    expect((await network.routeTables.get('rg-net', 'rt-firewall')).subnets?.map((s) => s.id)).toEqual([subnet('snet-good')]);
    expect((await network.routeTables.get('rg-net', 'rt-internet')).subnets?.map((s) => s.id)).toEqual([subnet('snet-good2')]);
  });
});

describe('route tables in a seed', () => {
  const withRoutes = (routes: unknown) => {
    const seed = testSeed();
    seed.resources.push({ ...routeTableDoc(RT('rt-bad'), []), properties: { routes } });
    return seed;
  };

  it('are validated: next hop type, and an IP for (only) a virtual appliance', () => {
    expect(() => validateSeed(seedWithRoutes())).not.toThrow();
    expect(() => validateSeed(withRoutes('nope'))).toThrow(/properties\.routes: must be an array/);
    expect(() => validateSeed(withRoutes([{ properties: {} }]))).toThrow(/routes\[0\]: must be an object with a name/);
    expect(() => validateSeed(withRoutes([{ name: 'r', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'Firewall' } }]))).toThrow(
      /nextHopType: must be one of VirtualNetworkGateway, VnetLocal, Internet, VirtualAppliance, None/,
    );
    expect(() => validateSeed(withRoutes([{ name: 'r', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance' } }]))).toThrow(
      /nextHopIpAddress: is required for a VirtualAppliance next hop/,
    );
    expect(() => validateSeed(withRoutes([{ name: 'r', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'Internet', nextHopIpAddress: '10.0.0.4' } }]))).toThrow(
      /nextHopIpAddress: is allowed only for a VirtualAppliance next hop/,
    );
    expect(() => validateSeed(withRoutes([{ name: 'r', properties: { nextHopType: 'Internet' } }]))).toThrow(/addressPrefix: must be a CIDR or a service tag/);
  });
});
