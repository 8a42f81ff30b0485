import { afterEach, describe, expect, it } from 'vitest';
import { readCheckFacts } from '../../src/azure/inventory.js';
import { findInstance } from '../../src/azure/find-instance.js';
import { ErrorCode, isCodedError } from '../../src/errors.js';
import { resourceIdKey } from '../../src/eligibility/resource-id.js';
import { evaluateEligibility } from '../../src/eligibility/evaluate.js';
import { ALICE, apimDocument, BOT, FORCED_TUNNEL, instanceId, OTHER_SUB, routeTableDocument, SUB, vnetDocument, vnetEstate } from '../support/index.js';
import { sandboxWithClients } from './harness.js';

type Harness = Awaited<ReturnType<typeof sandboxWithClients>>;
let harness: Harness | null = null;

async function start(...args: Parameters<typeof sandboxWithClients>) {
  harness = await sandboxWithClients(...args);
  return harness;
}

afterEach(async () => {
  await harness?.sandbox.close();
  harness = null;
});

describe('readCheckFacts over the sandbox', () => {
  it('reads the instance, every subnet with its NSG, the provider and both principals', async () => {
    const { arm } = await start(vnetEstate(3, 4));
    const facts = await readCheckFacts(arm, { instance: instanceId(), requesterId: ALICE });
    expect(facts.instance).toMatchObject({ name: 'contoso-apim', skuName: 'StandardV2', subscriptionId: SUB, virtualNetworkType: 'None' });
    expect(facts.subnets).toHaveLength(12);
    const first = facts.subnets[0]!;
    expect(first.delegations).toEqual(['Microsoft.Web/serverFarms']);
    expect(facts.networkSecurityGroups.get(resourceIdKey(first.networkSecurityGroupId!))?.rules.some((r) => r.name === 'AllowInternetOutBound')).toBe(true);
    expect(facts.webProviderState).toBe('Registered');
    expect(facts.bot.principalId).toBe(BOT);
    expect(facts.bot.grants.map((g) => g.roleName)).toContain('Contributor');
    expect(facts.requester?.grants.map((g) => g.roleName).sort()).toEqual(['API Management Service Contributor', 'Network Contributor']);
  });

  it('makes the same number of ARM requests whatever the number of subnets, paging included', async () => {
    const counts: number[] = [];
    for (const subnetsPerVnet of [1, 30]) {
      const h = await start(vnetEstate(6, subnetsPerVnet), { pageSize: 2 });
      await readCheckFacts(h.arm, { instance: instanceId(), requesterId: ALICE });
      const requests = await h.requests();
      expect(requests.filter((r) => r.path.includes('/virtualNetworks') && r.method === 'GET')).toHaveLength(3);
      counts.push(requests.length);
      await h.sandbox.close();
      harness = null;
    }
    expect(counts[0]).toBe(counts[1]);
  });

  it('reads one subnet and its NSG when asked about one', async () => {
    const { arm, requests } = await start(vnetEstate(2, 3));
    const subnetId = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-1/subnets/snet-2`;
    const facts = await readCheckFacts(arm, { instance: instanceId(), subnetId });
    expect(facts.subnets.map((s) => s.id)).toEqual([subnetId]);
    expect(facts.networkSecurityGroups.size).toBe(1);
    expect(facts.requester).toBeNull();
    expect((await requests()).some((r) => r.path.includes('/virtualNetworks?') || r.path.endsWith('/virtualNetworks'))).toBe(false);
  });

  it('names an unknown subnet clearly', async () => {
    const { arm } = await start(vnetEstate(1, 1));
    const subnetId = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-0/subnets/nope`;
    await expect(readCheckFacts(arm, { instance: instanceId(), subnetId })).rejects.toMatchObject({ code: ErrorCode.SUBNET_NOT_FOUND });
  });

  it('waits out a 429 with Retry-After and succeeds', async () => {
    const h = await start(vnetEstate(2, 2));
    await h.faults({ failNext: [{ method: 'GET', pathContains: 'virtualNetworks', status: 429, retryAfter: 1, count: 1 }] });
    const started = Date.now();
    const facts = await readCheckFacts(h.arm, { instance: instanceId() });
    expect(facts.subnets).toHaveLength(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const vnetCalls = (await h.requests()).filter((r) => r.path.includes('virtualNetworks'));
    expect(vnetCalls.map((r) => r.status)).toEqual([429, 200]);
  });

  it('turns an ARM error that outlasts the retries into ARM_UNAVAILABLE with ARM’s code', async () => {
    const h = await start(vnetEstate(1, 1), {}, 1);
    await h.faults({ failNext: [{ method: 'GET', pathContains: 'networkSecurityGroups', status: 500, code: 'InternalServerError', count: 5 }] });
    const error = await readCheckFacts(h.arm, { instance: instanceId() }).catch((e: unknown) => e);
    expect(isCodedError(error, ErrorCode.ARM_UNAVAILABLE)).toBe(true);
    expect((error as Error).message).toContain('InternalServerError');
    expect((await h.requests()).filter((r) => r.path.includes('networkSecurityGroups')).map((r) => r.status)).toEqual([500, 500]);
  });

  it('reports a missing instance as INSTANCE_NOT_FOUND', async () => {
    const { arm } = await start(vnetEstate(1, 1));
    await expect(readCheckFacts(arm, { instance: instanceId('nope') })).rejects.toMatchObject({ code: ErrorCode.INSTANCE_NOT_FOUND });
  });
});

describe('route tables and NAT gateways', () => {
  const RG_NET = `/subscriptions/${SUB}/resourceGroups/rg-net`;
  const NAT = `${RG_NET}/providers/Microsoft.Network/natGateways/nat-out`;
  const NSG = `${RG_NET}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim`;
  const tunnelled = `${RG_NET}/providers/Microsoft.Network/virtualNetworks/vnet-routes/subnets/tunnelled`;

  /** vnetEstate(vnets, subnetsPerVnet) plus vnet-routes: a subnet on a forced-tunnel table, one with a NAT gateway, one plain. */
  function seedWithRoutes(vnets = 2, subnetsPerVnet = 2) {
    const seed = vnetEstate(vnets, subnetsPerVnet);
    const firewall = routeTableDocument(SUB, 'rg-net', 'rt-firewall', 'westeurope', [FORCED_TUNNEL]);
    seed.resources.push(
      firewall,
      routeTableDocument(SUB, 'rg-net', 'rt-spare-1', 'westeurope', []),
      routeTableDocument(SUB, 'rg-net', 'rt-spare-2', 'westeurope', [{ name: 'local', addressPrefix: '10.0.0.0/8', nextHopType: 'VnetLocal' }]),
      vnetDocument(SUB, 'rg-net', 'vnet-routes', 'westeurope', [
        { name: 'tunnelled', prefix: '10.250.0.0/24', delegated: true, nsg: NSG, routeTable: firewall.id },
        { name: 'natted', prefix: '10.250.1.0/24', delegated: true, nsg: NSG, natGateway: NAT },
        { name: 'plain', prefix: '10.250.2.0/24', delegated: true, nsg: NSG },
      ]),
    );
    return { seed, firewallId: firewall.id };
  }

  it('reads each subnet\'s route table and NAT gateway, and the tables with their routes', async () => {
    const { seed, firewallId } = seedWithRoutes();
    const { arm } = await start(seed);
    const facts = await readCheckFacts(arm, { instance: instanceId() });
    const byName = new Map(facts.subnets.map((s) => [s.name, s]));
    expect(byName.get('tunnelled')).toMatchObject({ routeTableId: firewallId, natGatewayId: null });
    expect(byName.get('natted')).toMatchObject({ routeTableId: null, natGatewayId: NAT });
    expect(byName.get('plain')).toMatchObject({ routeTableId: null, natGatewayId: null });
    expect(facts.routeTables.size).toBe(3);
    expect(facts.routeTables.get(resourceIdKey(firewallId))).toEqual({
      id: firewallId,
      name: 'rt-firewall',
      routes: [{ name: 'default-to-firewall', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.255.0.4' }],
    });
    const report = evaluateEligibility(facts);
    const codes = (name: string) => report.subnets.find((s) => s.name === name)?.findings.map((f) => `${f.code}:${f.severity}`);
    expect(codes('tunnelled')).toEqual(['ROUTE_FORCED_TUNNELING:warning']);
    expect(codes('natted')).toEqual(['NAT_GATEWAY_ATTACHED:info']);
    expect(codes('plain')).toEqual([]);
  });

  it('lists route tables once per subscription, paged, beside the other reads, whatever the number of subnets', async () => {
    const counts: number[] = [];
    for (const subnetsPerVnet of [1, 20]) {
      const h = await start(seedWithRoutes(4, subnetsPerVnet).seed, { pageSize: 2 });
      await readCheckFacts(h.arm, { instance: instanceId(), requesterId: ALICE });
      const requests = await h.requests();
      const tableReads = requests.filter((r) => r.path.includes('/routeTables'));
      expect(tableReads.map((r) => r.path.split('?')[0])).toEqual([
        `/subscriptions/${SUB}/providers/Microsoft.Network/routeTables`,
        `/subscriptions/${SUB}/providers/Microsoft.Network/routeTables`,
      ]);
      counts.push(requests.length);
      await h.sandbox.close();
      harness = null;
    }
    expect(counts[0]).toBe(counts[1]);
  });

  it('for one subnet, GETs its route table by id and lists none', async () => {
    const { seed, firewallId } = seedWithRoutes();
    const { arm, requests } = await start(seed);
    const facts = await readCheckFacts(arm, { instance: instanceId(), subnetId: tunnelled });
    expect([...facts.routeTables.keys()]).toEqual([resourceIdKey(firewallId)]);
    const tableReads = (await requests()).filter((r) => r.path.includes('/routeTables'));
    expect(tableReads.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([`GET ${firewallId}`]);
  });

  it('for one subnet without a route table, reads none', async () => {
    const { arm, requests } = await start(seedWithRoutes().seed);
    const plain = tunnelled.replace(/tunnelled$/, 'plain');
    expect((await readCheckFacts(arm, { instance: instanceId(), subnetId: plain })).routeTables.size).toBe(0);
    expect((await requests()).some((r) => r.path.includes('/routeTables'))).toBe(false);
  });

  it('a route table that is gone or hidden is left out: the check goes on and says it was not checked', async () => {
    const { seed, firewallId } = seedWithRoutes();
    const h = await start(seed);
    await h.faults({ failNext: [{ method: 'GET', pathContains: firewallId, status: 403, code: 'AuthorizationFailed', count: 1 }] });
    const one = await readCheckFacts(h.arm, { instance: instanceId(), subnetId: tunnelled });
    expect(one.routeTables.size).toBe(0);
    expect(evaluateEligibility(one).subnets[0]?.findings.map((f) => f.code)).toEqual(['ROUTE_TABLE_NOT_READ']);
    await h.faults({ failNext: [{ method: 'GET', pathContains: 'providers/Microsoft.Network/routeTables', status: 403, code: 'AuthorizationFailed', count: 1 }] });
    const all = await readCheckFacts(h.arm, { instance: instanceId() });
    expect(all.routeTables.size).toBe(0);
    expect(evaluateEligibility(all).subnets.find((s) => s.name === 'tunnelled')?.findings.map((f) => f.code)).toEqual(['ROUTE_TABLE_NOT_READ']);
  });

  it('any other failure of the route-table list fails the check as ARM_UNAVAILABLE', async () => {
    const h = await start(seedWithRoutes().seed, {}, 0);
    await h.faults({ failNext: [{ method: 'GET', pathContains: 'routeTables', status: 500, code: 'InternalServerError', count: 3 }] });
    const error = await readCheckFacts(h.arm, { instance: instanceId() }).catch((e: unknown) => e);
    expect(isCodedError(error, ErrorCode.ARM_UNAVAILABLE)).toBe(true);
  });
});

describe("the instance's own subnet over the sandbox", () => {
  const own = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-0/subnets/snet-0`;
  const codesOf = (report: ReturnType<typeof evaluateEligibility>, id: string) =>
    report.subnets.find((s) => s.id.toLowerCase() === id.toLowerCase())?.findings.map((f) => `${f.code}:${f.severity}`);

  it('after the sandbox integrates it (an API Management link), its subnet is its own', async () => {
    const { arm } = await start(vnetEstate(1, 2));
    const client = arm.apiManagement(SUB).apiManagementService;
    await (await client.beginUpdate('rg-apim', 'contoso-apim', { virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId: own } }, { updateIntervalInMs: 20 })).pollUntilDone();
    const subnet = (await readCheckFacts(arm, { instance: instanceId(), subnetId: own })).subnets[0];
    expect(subnet?.serviceAssociationLinks).toEqual([{ linkedResourceType: 'Microsoft.ApiManagement/service', link: instanceId() }]);
    const report = evaluateEligibility(await readCheckFacts(arm, { instance: instanceId() }));
    expect(codesOf(report, own)).toEqual(['ALREADY_INTEGRATED:info']);
  });

  it('an integrated instance whose subnet carries a Microsoft.Web/serverFarms link: its own, and in use for anyone else', async () => {
    const seed = vnetEstate(1, 1);
    const hiddenPlan = `/subscriptions/${SUB}/resourceGroups/rg-apim/providers/Microsoft.Web/serverFarms/apim-plan`;
    seed.resources.push(
      apimDocument(SUB, 'rg-apim', 'apim-on-farm', 'StandardV2', { virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId: `${own.replace(/vnet-0\/subnets\/snet-0$/, 'vnet-farm/subnets/apim')}` } }),
      vnetDocument(SUB, 'rg-net', 'vnet-farm', 'westeurope', [{ name: 'apim', prefix: '10.240.0.0/24', delegated: true, nsg: `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/nsg-apim`, links: [['Microsoft.Web/serverFarms', hiddenPlan]] }]),
    );
    const farmSubnet = own.replace(/vnet-0\/subnets\/snet-0$/, 'vnet-farm/subnets/apim');
    const { arm } = await start(seed);
    const mine = evaluateEligibility(await readCheckFacts(arm, { instance: instanceId('apim-on-farm') }));
    expect(codesOf(mine, farmSubnet)).toEqual(['ALREADY_INTEGRATED:info']);
    const theirs = evaluateEligibility(await readCheckFacts(arm, { instance: instanceId() }));
    expect(codesOf(theirs, farmSubnet)).toEqual(['SUBNET_IN_USE:blocking']);
  });
});

describe('findInstance', () => {
  const seed = () => {
    const s = vnetEstate(1, 1);
    s.resources.push(apimDocument(SUB, 'rg-a', 'payments'), apimDocument(OTHER_SUB, 'rg-b', 'payments'), apimDocument(OTHER_SUB, 'rg-b', 'orders'));
    return s;
  };

  it('finds an instance by name across subscriptions, ignoring case', async () => {
    const { arm } = await start(seed());
    expect((await findInstance(arm, 'ORDERS')).subscriptionId).toBe(OTHER_SUB);
  });

  it('lists every match of an ambiguous name', async () => {
    const { arm } = await start(seed());
    const error = await findInstance(arm, 'payments').catch((e: unknown) => e);
    expect(isCodedError(error, ErrorCode.INSTANCE_AMBIGUOUS)).toBe(true);
    expect((error as Error).message).toContain(`/subscriptions/${OTHER_SUB}/resourceGroups/rg-b`);
    expect((error as Error).message).toContain(`/subscriptions/${SUB}/resourceGroups/rg-a`);
  });

  it('suggests near names for an unknown one', async () => {
    const { arm } = await start(seed());
    const error = await findInstance(arm, 'order').catch((e: unknown) => e);
    expect(isCodedError(error, ErrorCode.INSTANCE_NOT_FOUND)).toBe(true);
    expect((error as Error).message).toContain('orders');
  });
});

describe('long-running operations through the configured clients', () => {
  it('polls an instance update to completion', async () => {
    const { arm } = await start(vnetEstate(1, 1));
    const subnetId = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-0/subnets/snet-0`;
    const client = arm.apiManagement(SUB).apiManagementService;
    const poller = await client.beginUpdate('rg-apim', 'contoso-apim', {
      virtualNetworkType: 'External',
      virtualNetworkConfiguration: { subnetResourceId: subnetId },
    }, { updateIntervalInMs: 50 });
    const result = await poller.pollUntilDone();
    expect(result.virtualNetworkType).toBe('External');
    const after = await client.get('rg-apim', 'contoso-apim');
    expect(after.virtualNetworkConfiguration?.subnetResourceId?.toLowerCase()).toBe(subnetId.toLowerCase());
    expect(after.provisioningState).toBe('Succeeded');
  });
});
