import { afterEach, describe, expect, it } from 'vitest';
import { readCheckFacts } from '../../src/azure/inventory.js';
import { findInstance } from '../../src/azure/find-instance.js';
import { ErrorCode, isCodedError } from '../../src/errors.js';
import { resourceIdKey } from '../../src/eligibility/resource-id.js';
import { ALICE, BOT, OTHER_SUB, SUB, apim, estate, instanceId } from './seed-builder.js';
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
    const { arm } = await start(estate(3, 4));
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
      const h = await start(estate(6, subnetsPerVnet), { pageSize: 2 });
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
    const { arm, requests } = await start(estate(2, 3));
    const subnetId = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-1/subnets/snet-2`;
    const facts = await readCheckFacts(arm, { instance: instanceId(), subnetId });
    expect(facts.subnets.map((s) => s.id)).toEqual([subnetId]);
    expect(facts.networkSecurityGroups.size).toBe(1);
    expect(facts.requester).toBeNull();
    expect((await requests()).some((r) => r.path.includes('/virtualNetworks?') || r.path.endsWith('/virtualNetworks'))).toBe(false);
  });

  it('names an unknown subnet clearly', async () => {
    const { arm } = await start(estate(1, 1));
    const subnetId = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-0/subnets/nope`;
    await expect(readCheckFacts(arm, { instance: instanceId(), subnetId })).rejects.toMatchObject({ code: ErrorCode.SUBNET_NOT_FOUND });
  });

  it('waits out a 429 with Retry-After and succeeds', async () => {
    const h = await start(estate(2, 2));
    await h.faults({ failNext: [{ method: 'GET', pathContains: 'virtualNetworks', status: 429, retryAfter: 1, count: 1 }] });
    const started = Date.now();
    const facts = await readCheckFacts(h.arm, { instance: instanceId() });
    expect(facts.subnets).toHaveLength(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const vnetCalls = (await h.requests()).filter((r) => r.path.includes('virtualNetworks'));
    expect(vnetCalls.map((r) => r.status)).toEqual([429, 200]);
  });

  it('turns an ARM error that outlasts the retries into ARM_UNAVAILABLE with ARM’s code', async () => {
    const h = await start(estate(1, 1), {}, 1);
    await h.faults({ failNext: [{ method: 'GET', pathContains: 'networkSecurityGroups', status: 500, code: 'InternalServerError', count: 5 }] });
    const error = await readCheckFacts(h.arm, { instance: instanceId() }).catch((e: unknown) => e);
    expect(isCodedError(error, ErrorCode.ARM_UNAVAILABLE)).toBe(true);
    expect((error as Error).message).toContain('InternalServerError');
    expect((await h.requests()).filter((r) => r.path.includes('networkSecurityGroups')).map((r) => r.status)).toEqual([500, 500]);
  });

  it('reports a missing instance as INSTANCE_NOT_FOUND', async () => {
    const { arm } = await start(estate(1, 1));
    await expect(readCheckFacts(arm, { instance: instanceId('nope') })).rejects.toMatchObject({ code: ErrorCode.INSTANCE_NOT_FOUND });
  });
});

describe('findInstance', () => {
  const seed = () => {
    const s = estate(1, 1);
    s.resources.push(apim(SUB, 'rg-a', 'payments'), apim(OTHER_SUB, 'rg-b', 'payments'), apim(OTHER_SUB, 'rg-b', 'orders'));
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
    const { arm } = await start(estate(1, 1));
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
