import { NetworkManagementClient, type Subnet } from '@azure/arm-network';
import { ResourceManagementClient } from '@azure/arm-resources';
import { describe, expect, it } from 'vitest';
import { NET_ONLY, NSG, READER, SUBNET_WRITER, SUB_A, SUB_B, subnet } from './fixtures.js';
import { arm, authorize, clientOptions, collect, errorCode, setFaults, unusedCredential, useFreshSandbox } from './helpers.js';

const FAST = { updateIntervalInMs: 20 };
const SERVER_FARMS = { name: 'delegation', serviceName: 'Microsoft.Web/serverFarms' };

describe('PUT …/virtualNetworks/{v}/subnets/{s} (long-running)', () => {
  const fresh = useFreshSandbox({ lroSeconds: 0.2 });
  const net = (sub = SUB_A, oid?: string) => fresh.network(oid, sub);
  const put = (client: NetworkManagementClient, rg: string, vnet: string, name: string, body: Subnet) =>
    client.subnets.beginCreateOrUpdate(rg, vnet, name, body, FAST);


  it('adds a delegation: Updating, then Succeeded, VNet copy and NSG back-reference in sync', async () => {
    await setFaults(fresh.sandbox, { lroSeconds: 0.8 });
    const client = net();
    const current = await client.subnets.get('rg-net', 'vnet-weu', 'snet-nodeleg');
    const poller = await put(client, 'rg-net', 'vnet-weu', 'snet-nodeleg', { ...current, delegations: [SERVER_FARMS] });
    expect((await client.subnets.get('rg-net', 'vnet-weu', 'snet-nodeleg')).provisioningState).toBe('Updating');
    const done = await poller.pollUntilDone();
    expect(done.provisioningState).toBe('Succeeded');
    expect(done.delegations?.map((d) => d.serviceName)).toEqual(['Microsoft.Web/serverFarms']);
    expect(done.delegations?.[0]?.id).toBe(`${subnet('snet-nodeleg')}/delegations/delegation`);
    const vnet = await client.virtualNetworks.get('rg-net', 'vnet-weu');
    const embedded = vnet.subnets?.find((s) => s.name === 'snet-nodeleg');
    expect(embedded?.delegations?.[0]?.serviceName).toBe('Microsoft.Web/serverFarms');
    expect(embedded?.provisioningState).toBe('Succeeded');
    expect(vnet.subnets?.map((s) => s.name).indexOf('snet-nodeleg')).toBe(3);
    const nsg = await client.networkSecurityGroups.get('rg-net', 'nsg-apim');
    expect(nsg.subnets?.map((s) => s.id)).toContain(subnet('snet-nodeleg'));
  });

  it('answers 200 with Azure-AsyncOperation under Microsoft.Network/locations/{loc}/operations', async () => {
    const res = await arm(fresh.sandbox, 'PUT', `${subnet('snet-nodeleg')}?api-version=2024-05-01`, {
      properties: { addressPrefix: '10.0.4.0/24', networkSecurityGroup: { id: NSG } },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('azure-asyncoperation')).toMatch(
      new RegExp(`^${fresh.sandbox.url}/subscriptions/${SUB_A}/providers/Microsoft.Network/locations/westeurope/operations/[0-9a-f-]+\\?api-version=2024-05-01$`),
    );
    expect(res.body.properties.provisioningState).toBe('Updating');
  });

  it('keeps read-only properties from the stored subnet, not from the body', async () => {
    const res = await arm(fresh.sandbox, 'PUT', `${subnet('snet-nic')}?api-version=2024-05-01`, {
      properties: {
        addressPrefix: '10.0.6.0/24',
        delegations: [{ name: 'delegation', properties: { serviceName: 'Microsoft.Web/serverFarms' } }],
        ipConfigurations: [],
        serviceAssociationLinks: [{ name: 'forged', properties: { link: '/x' } }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.properties.ipConfigurations).toHaveLength(1);
    expect(res.body.properties.serviceAssociationLinks).toBeUndefined();
  });

  it('creates a new subnet (201) and lists it with the VNet', async () => {
    const client = net();
    const done = await (await put(client, 'rg-net', 'vnet-weu', 'snet-new', { addressPrefix: '10.0.20.0/24', delegations: [SERVER_FARMS] })).pollUntilDone();
    expect(done.id).toBe(subnet('snet-new'));
    const all = await collect(client.subnets.list('rg-net', 'vnet-weu'));
    expect(all.map((s) => s.name)).toContain('snet-new');
  });

  it('lets a Network Contributor on the resource group write subnets', async () => {
    const client = net(SUB_A, NET_ONLY);
    const current = await client.subnets.get('rg-net', 'vnet-weu', 'snet-nodeleg');
    const done = await (await put(client, 'rg-net', 'vnet-weu', 'snet-nodeleg', { ...current, delegations: [SERVER_FARMS] })).pollUntilDone();
    expect(done.delegations).toHaveLength(1);
  });

  it('with failLro the subnet goes back to what it was', async () => {
    await setFaults(fresh.sandbox, { failLro: true });
    const client = net();
    const current = await client.subnets.get('rg-net', 'vnet-weu', 'snet-nodeleg');
    const poller = await put(client, 'rg-net', 'vnet-weu', 'snet-nodeleg', { ...current, delegations: [SERVER_FARMS] });
    await expect(poller.pollUntilDone()).rejects.toThrow(/InjectedOperationFailure/);
    const after = await client.subnets.get('rg-net', 'vnet-weu', 'snet-nodeleg');
    expect(after.delegations ?? []).toEqual([]);
    expect(after.provisioningState).toBe('Succeeded');
  });

  it('refuses a PUT while another runs on the subnet (409 AnotherOperationInProgress)', async () => {
    await setFaults(fresh.sandbox, { lroSeconds: 5 });
    const client = net();
    const current = await client.subnets.get('rg-net', 'vnet-weu', 'snet-nodeleg');
    await put(client, 'rg-net', 'vnet-weu', 'snet-nodeleg', { ...current, delegations: [SERVER_FARMS] });
    expect(await errorCode(put(client, 'rg-net', 'vnet-weu', 'snet-nodeleg', current))).toEqual({ statusCode: 409, code: 'AnotherOperationInProgress' });
  });

  it('needs the provider registered for a new delegation, and registering fixes it', async () => {
    const client = net(SUB_B);
    const current = await client.subnets.get('rg-b', 'vnet-b', 'snet-b2');
    expect(await errorCode(put(client, 'rg-b', 'vnet-b', 'snet-b2', { ...current, delegations: [SERVER_FARMS] }))).toEqual({
      statusCode: 409,
      code: 'MissingSubscriptionRegistration',
    });
    const resources = authorize(new ResourceManagementClient(unusedCredential, SUB_B, clientOptions(fresh.sandbox)), fresh.sandbox.url);
    expect((await resources.providers.register('Microsoft.Web')).registrationState).toBe('Registering');
    await new Promise((r) => setTimeout(r, 250));
    expect((await resources.providers.get('Microsoft.Web')).registrationState).toBe('Registered');
    const done = await (await put(client, 'rg-b', 'vnet-b', 'snet-b2', { ...current, delegations: [SERVER_FARMS] })).pollUntilDone();
    expect(done.delegations?.[0]?.serviceName).toBe('Microsoft.Web/serverFarms');
  });

  const cases: [string, string, string, Subnet, number, string][] = [
    ['caller lacks subnets/write', READER, 'snet-nodeleg', { addressPrefix: '10.0.4.0/24', delegations: [SERVER_FARMS] }, 403, 'AuthorizationFailed'],
    ['delegation change with a private endpoint', '', 'snet-pe', { addressPrefix: '10.0.7.0/24', delegations: [SERVER_FARMS] }, 400, 'SubnetDelegationsCannotChangeWhenSubnetUsedByResource'],
    ['delegation change with a service association link', '', 'snet-injected', { addressPrefix: '10.0.8.0/24', delegations: [SERVER_FARMS] }, 400, 'SubnetDelegationsCannotChangeWhenSubnetUsedByResource'],
    ['delegation removed with a NIC', '', 'snet-nic', { addressPrefix: '10.0.6.0/24' }, 400, 'SubnetDelegationsCannotChangeWhenSubnetUsedByResource'],
    ['prefix outside the VNet', '', 'snet-new', { addressPrefix: '10.9.0.0/24' }, 400, 'NetcfgSubnetRangeOutsideVnet'],
    ['prefix overlapping a sibling', '', 'snet-new', { addressPrefix: '10.0.1.128/25' }, 400, 'NetcfgSubnetRangesOverlap'],
    ['no prefix', '', 'snet-new', { delegations: [SERVER_FARMS] }, 400, 'InvalidSubnetAddressPrefix'],
    ['bad prefix', '', 'snet-new', { addressPrefix: '10.0.300.0/24' }, 400, 'InvalidSubnetAddressPrefix'],
    ['unknown NSG', '', 'snet-nodeleg', { addressPrefix: '10.0.4.0/24', networkSecurityGroup: { id: `${NSG}-nope` } }, 400, 'InvalidResourceReference'],
    ['new NSG without join/action', SUBNET_WRITER, 'snet-hosting', { addressPrefix: '10.0.5.0/24', delegations: [{ name: 'delegation', serviceName: 'Microsoft.Web/hostingEnvironments' }], networkSecurityGroup: { id: NSG } }, 403, 'LinkedAuthorizationFailed'],
  ];

  it.each(cases)('rejects: %s', async (_label, oid, name, body, status, code) => {
    expect(await errorCode(put(net(SUB_A, oid || undefined), 'rg-net', 'vnet-weu', name, body))).toEqual({ statusCode: status, code });
  });

  it('lets a subnets/write-only role keep the NSG it already has', async () => {
    const client = net(SUB_A, SUBNET_WRITER);
    const current = await client.subnets.get('rg-net', 'vnet-weu', 'snet-nodeleg');
    const done = await (await put(client, 'rg-net', 'vnet-weu', 'snet-nodeleg', { ...current, delegations: [SERVER_FARMS] })).pollUntilDone();
    expect(done.networkSecurityGroup?.id).toBe(NSG);
  });
});

describe('resource providers', () => {
  const fresh = useFreshSandbox({ lroSeconds: 0.2 });
  const resources = (sub: string, oid?: string) =>
    authorize(new ResourceManagementClient(unusedCredential, sub, clientOptions(fresh.sandbox)), fresh.sandbox.url, oid);


  it('reports registration state per subscription (Registered when not seeded)', async () => {
    const a = await resources(SUB_A).providers.get('Microsoft.Web');
    expect(a).toMatchObject({ namespace: 'Microsoft.Web', registrationState: 'Registered', id: `/subscriptions/${SUB_A}/providers/Microsoft.Web` });
    expect(a.resourceTypes?.map((t) => t.resourceType)).toContain('serverFarms');
    expect((await resources(SUB_B).providers.get('microsoft.web')).registrationState).toBe('NotRegistered');
  });

  it('needs Microsoft.Web/register/action to register', async () => {
    expect(await errorCode(resources(SUB_B, READER).providers.register('Microsoft.Web'))).toEqual({ statusCode: 403, code: 'AuthorizationFailed' });
    expect(await errorCode(resources(SUB_A, NET_ONLY).providers.register('Microsoft.Web'))).toEqual({ statusCode: 403, code: 'AuthorizationFailed' });
  });

  it('with failLro a registration ends NotRegistered', async () => {
    await setFaults(fresh.sandbox, { failLro: true });
    const client = resources(SUB_B);
    expect((await client.providers.register('Microsoft.Web')).registrationState).toBe('Registering');
    await new Promise((r) => setTimeout(r, 250));
    expect((await client.providers.get('Microsoft.Web')).registrationState).toBe('NotRegistered');
  });
});
