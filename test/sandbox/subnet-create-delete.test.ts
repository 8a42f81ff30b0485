import { type Subnet } from '@azure/arm-network';
import { describe, expect, it } from 'vitest';
import { NET_ONLY, NSG, READER, SUB_A, SUBNET_WRITER, VNET, subnet, testSeed } from './fixtures.js';
import { arm, collect, errorCode, setFaults, start, useFreshSandbox } from './helpers.js';

const FAST = { updateIntervalInMs: 20 };
const SERVER_FARMS = { name: 'delegation', serviceName: 'Microsoft.Web/serverFarms' };

describe('PUT …/subnets/{s}: creating a subnet', () => {
  const fresh = useFreshSandbox({ lroSeconds: 0.1 });
  const net = (oid?: string) => fresh.network(oid);
  const create = (name: string, body: Subnet, oid?: string) => net(oid).subnets.beginCreateOrUpdateAndWait('rg-net', 'vnet-weu', name, body, FAST);


  it('creates a delegated subnet with an NSG, at the end of the VNet, with the NSG back-reference', async () => {
    const done = await create('snet-apim-new', { addressPrefix: '10.0.32.0/24', delegations: [SERVER_FARMS], networkSecurityGroup: { id: NSG } });
    expect(done).toMatchObject({ id: subnet('snet-apim-new'), name: 'snet-apim-new', provisioningState: 'Succeeded', networkSecurityGroup: { id: NSG } });
    const vnet = await net().virtualNetworks.get('rg-net', 'vnet-weu');
    expect(vnet.subnets?.map((s) => s.name).at(-1)).toBe('snet-apim-new');
    expect((await net().networkSecurityGroups.get('rg-net', 'nsg-apim')).subnets?.map((s) => s.id)).toContain(subnet('snet-apim-new'));
  });

  it('a PUT on a name that exists is an update (200), whatever the case of the name', async () => {
    const res = await arm(fresh.sandbox, 'PUT', `${VNET}/subnets/SNET-NODELEG?api-version=2024-05-01`, { properties: { addressPrefix: '10.0.4.0/24' } });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('snet-nodeleg');
    expect((await collect(net().subnets.list('rg-net', 'vnet-weu'))).filter((s) => s.name?.toLowerCase() === 'snet-nodeleg')).toHaveLength(1);
  });

  it('may move its own prefix within its old range (no overlap with itself)', async () => {
    expect((await create('snet-good', { addressPrefix: '10.0.1.0/25', delegations: [SERVER_FARMS], networkSecurityGroup: { id: NSG } })).addressPrefix).toBe('10.0.1.0/25');
  });

  it('accepts addressPrefixes and ignores IPv6 for the range checks', async () => {
    const done = await create('snet-multi-new', { addressPrefixes: ['10.0.33.0/26', '10.0.33.64/26', 'fd00:1::/64'] });
    expect(done.addressPrefixes).toEqual(['10.0.33.0/26', '10.0.33.64/26', 'fd00:1::/64']);
  });

  const cases: [string, Subnet, string][] = [
    ['a prefix outside the address space', { addressPrefix: '10.9.0.0/24' }, 'NetcfgSubnetRangeOutsideVnet'],
    ['a prefix larger than the address space', { addressPrefix: '10.0.0.0/15' }, 'NetcfgSubnetRangeOutsideVnet'],
    ['one of addressPrefixes outside', { addressPrefixes: ['10.0.34.0/24', '10.1.0.0/24'] }, 'NetcfgSubnetRangeOutsideVnet'],
    ['a prefix inside a sibling', { addressPrefix: '10.0.1.64/26' }, 'NetcfgSubnetRangesOverlap'],
    ['a prefix containing a sibling', { addressPrefix: '10.0.0.0/22' }, 'NetcfgSubnetRangesOverlap'],
    ['a prefix equal to a sibling', { addressPrefix: '10.0.2.0/24' }, 'NetcfgSubnetRangesOverlap'],
    ["a prefix overlapping a sibling's second prefix", { addressPrefix: '10.0.10.0/25' }, 'NetcfgSubnetRangesOverlap'],
    ['host bits set', { addressPrefix: '10.0.35.7/24' }, 'InvalidCIDRNotation'],
    ['host bits set in addressPrefixes', { addressPrefixes: ['10.0.36.0/24', '10.0.37.128/23'] }, 'InvalidCIDRNotation'],
    ['not a prefix', { addressPrefix: 'ten/24' }, 'InvalidSubnetAddressPrefix'],
    ['a prefix length above 32', { addressPrefix: '10.0.38.0/33' }, 'InvalidSubnetAddressPrefix'],
  ];
  it.each(cases)('rejects %s', async (_label, body, code) => {
    expect(await errorCode(create('snet-new', body))).toEqual({ statusCode: 400, code });
    expect(await errorCode(net().subnets.get('rg-net', 'vnet-weu', 'snet-new'))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it('says what the prefix should be for host bits', async () => {
    const res = await arm(fresh.sandbox, 'PUT', `${subnet('snet-new')}?api-version=2024-05-01`, { properties: { addressPrefix: '10.0.35.7/24' } });
    expect(res.body.error.message).toContain('10.0.35.0/24');
  });

  it('a subnet being created takes its space at once: a second create on it overlaps', async () => {
    await setFaults(fresh.sandbox, { lroSeconds: 2 });
    await net().subnets.beginCreateOrUpdate('rg-net', 'vnet-weu', 'first', { addressPrefix: '10.0.40.0/24' }, FAST);
    expect(await errorCode(net().subnets.beginCreateOrUpdate('rg-net', 'vnet-weu', 'second', { addressPrefix: '10.0.40.0/24' }, FAST))).toEqual({
      statusCode: 400,
      code: 'NetcfgSubnetRangesOverlap',
    });
  });

  it('needs subnets/write to create one (403), and the VNet must exist (404)', async () => {
    expect(await errorCode(create('snet-new', { addressPrefix: '10.0.41.0/24' }, READER))).toEqual({ statusCode: 403, code: 'AuthorizationFailed' });
    expect(await errorCode(net().subnets.beginCreateOrUpdateAndWait('rg-net', 'vnet-nope', 'snet', { addressPrefix: '10.0.41.0/24' }, FAST))).toEqual({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
  });
});

describe('DELETE …/virtualNetworks/{v}/subnets/{s} (long-running)', () => {
  const fresh = useFreshSandbox({ lroSeconds: 0.1 });
  const net = (oid?: string) => fresh.network(oid);
  const remove = (name: string, oid?: string) => net(oid).subnets.beginDeleteAndWait('rg-net', 'vnet-weu', name, FAST);


  it('deletes an empty subnet: gone from GET, the VNet and the NSG back-references', async () => {
    await remove('snet-good2');
    expect(await errorCode(net().subnets.get('rg-net', 'vnet-weu', 'snet-good2'))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
    const vnet = await net().virtualNetworks.get('rg-net', 'vnet-weu');
    expect(vnet.subnets?.map((s) => s.name)).not.toContain('snet-good2');
    expect(vnet.subnets).toHaveLength(8);
    const nsg = await net().networkSecurityGroups.get('rg-net', 'nsg-apim');
    expect(nsg.subnets?.map((s) => s.id)).toEqual([subnet('snet-good'), subnet('snet-small'), subnet('snet-nodeleg')]);
  });

  it('answers 202 with Azure-AsyncOperation and Location; Deleting meanwhile; writes wait; then 204', async () => {
    await setFaults(fresh.sandbox, { lroSeconds: 0.5 });
    const res = await arm(fresh.sandbox, 'DELETE', `${subnet('snet-good2')}?api-version=2024-05-01`);
    expect(res.status).toBe(202);
    expect(res.headers.get('azure-asyncoperation')).toMatch(
      new RegExp(`^${fresh.sandbox.url}/subscriptions/${SUB_A}/providers/Microsoft.Network/locations/westeurope/operations/[0-9a-f-]+\\?api-version=2024-05-01$`),
    );
    expect(res.headers.get('location')).toContain('/operationResults/');
    expect((await net().subnets.get('rg-net', 'vnet-weu', 'snet-good2')).provisioningState).toBe('Deleting');
    expect(await errorCode(net().subnets.beginCreateOrUpdate('rg-net', 'vnet-weu', 'snet-good2', { addressPrefix: '10.0.2.0/24' }, FAST))).toEqual({
      statusCode: 409,
      code: 'AnotherOperationInProgress',
    });
    expect((await arm(fresh.sandbox, 'DELETE', `${subnet('snet-good2')}?api-version=2024-05-01`)).status).toBe(409);
    await new Promise((r) => setTimeout(r, 550));
    expect((await arm(fresh.sandbox, 'DELETE', `${subnet('snet-good2')}?api-version=2024-05-01`)).status).toBe(204);
  });

  it.each([
    ['ip configurations', 'snet-nic', 'IP configuration'],
    ['private endpoints', 'snet-pe', 'private endpoint'],
    ['a service association link', 'snet-injected', 'service association link'],
  ])('refuses a subnet with %s (InUseSubnetCannotBeDeleted)', async (_label, name, what) => {
    expect(await errorCode(remove(name))).toEqual({ statusCode: 400, code: 'InUseSubnetCannotBeDeleted' });
    const res = await arm(fresh.sandbox, 'DELETE', `${subnet(name)}?api-version=2024-05-01`);
    expect(res.body.error.message).toContain(what);
    expect((await net().subnets.get('rg-net', 'vnet-weu', name)).provisioningState).toBe('Succeeded');
  });

  it('refuses a subnet with a resource navigation link', async () => {
    const seed = testSeed();
    seed.resources.push({
      id: subnet('snet-rnl'),
      name: 'snet-rnl',
      type: 'Microsoft.Network/virtualNetworks/subnets',
      properties: { addressPrefix: '10.0.50.0/27', resourceNavigationLinks: [{ name: 'classic', properties: { linkedResourceType: 'Microsoft.ApiManagement/service', link: '/x' } }] },
    });
    await fresh.restart({ seed });
    expect(await errorCode(remove('snet-rnl'))).toEqual({ statusCode: 400, code: 'InUseSubnetCannotBeDeleted' });
  });

  it('is refused while an instance is integrated with it, and allowed once it is disconnected', async () => {
    const apimClient = fresh.apiManagement();
    await apimClient.apiManagementService.beginUpdateAndWait(
      'rg-apim',
      'apim-std',
      { virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId: subnet('snet-good') } },
      FAST,
    );
    expect(await errorCode(remove('snet-good'))).toEqual({ statusCode: 400, code: 'InUseSubnetCannotBeDeleted' });
    await apimClient.apiManagementService.beginUpdateAndWait('rg-apim', 'apim-std', { virtualNetworkType: 'None' }, FAST);
    await remove('snet-good');
    expect(await errorCode(net().subnets.get('rg-net', 'vnet-weu', 'snet-good'))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it('needs subnets/delete (403 AuthorizationFailed); Network Contributor and a subnets/* role have it', async () => {
    expect(await errorCode(remove('snet-good2', READER))).toEqual({ statusCode: 403, code: 'AuthorizationFailed' });
    await remove('snet-good2', NET_ONLY);
    await remove('snet-nodeleg', SUBNET_WRITER);
  });

  it('answers 204 for a subnet that does not exist and 404 for a VNet that does not', async () => {
    expect((await arm(fresh.sandbox, 'DELETE', `${subnet('snet-nope')}?api-version=2024-05-01`)).status).toBe(204);
    await remove('snet-nope');
    expect(await errorCode(net().subnets.beginDeleteAndWait('rg-net', 'vnet-nope', 'snet', FAST))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it('with failLro the subnet stays, Succeeded', async () => {
    await setFaults(fresh.sandbox, { failLro: true });
    await expect(remove('snet-good2')).rejects.toThrow(/InjectedOperationFailure/);
    expect((await net().subnets.get('rg-net', 'vnet-weu', 'snet-good2')).provisioningState).toBe('Succeeded');
  });

  it('frees the space for a new subnet', async () => {
    await remove('snet-good2');
    const again = await net().subnets.beginCreateOrUpdateAndWait('rg-net', 'vnet-weu', 'snet-reuse', { addressPrefix: '10.0.2.0/24' }, FAST);
    expect(again.provisioningState).toBe('Succeeded');
  });
});
