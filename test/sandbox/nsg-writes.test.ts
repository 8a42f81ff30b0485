import { type NetworkSecurityGroup, type SecurityRule } from '@azure/arm-network';
import { describe, expect, it } from 'vitest';
import { dependencyAllowRule } from '../../src/eligibility/dependency-allow-rules.js';
import { NET_ONLY, NSG, READER, RG_NET, RULE_WRITER, SUB_A, SUBNET_WRITER, subnet } from './fixtures.js';
import { arm, collect, errorCode, setFaults, start, useFreshSandbox } from './helpers.js';

const FAST = { updateIntervalInMs: 20 };
const NSG_NEW = `${RG_NET}/providers/Microsoft.Network/networkSecurityGroups/nsg-new`;
const SERVER_FARMS = { name: 'delegation', serviceName: 'Microsoft.Web/serverFarms' };

const storageRule = (overrides: Partial<SecurityRule> = {}): SecurityRule => ({ ...dependencyAllowRule('Storage'), ...overrides });

describe('PUT …/networkSecurityGroups/{name} (long-running)', () => {
  const fresh = useFreshSandbox({ lroSeconds: 0.2 });
  const net = (oid?: string) => fresh.network(oid);
  const create = (body: NetworkSecurityGroup, name = 'nsg-new', oid?: string) =>
    net(oid).networkSecurityGroups.beginCreateOrUpdateAndWait('rg-net', name, body, FAST);


  it('creates an NSG with its rules and ARM default rules, Succeeded at the end', async () => {
    const done = await create({ location: 'westeurope', tags: { owner: 'apim-vnet-bot' }, securityRules: [storageRule()] });
    expect(done).toMatchObject({ id: NSG_NEW, name: 'nsg-new', location: 'westeurope', provisioningState: 'Succeeded', tags: { owner: 'apim-vnet-bot' } });
    expect(done.resourceGuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(done.securityRules).toEqual([
      expect.objectContaining({
        id: `${NSG_NEW}/securityRules/AllowApimStorageOutbound`,
        name: 'AllowApimStorageOutbound',
        provisioningState: 'Succeeded',
        protocol: 'Tcp',
        destinationPortRange: '443',
        destinationAddressPrefix: 'Storage',
        access: 'Allow',
        priority: 100,
        direction: 'Outbound',
      }),
    ]);
    expect(done.defaultSecurityRules?.map((r) => r.name)).toEqual([
      'AllowVnetInBound',
      'AllowAzureLoadBalancerInBound',
      'DenyAllInBound',
      'AllowVnetOutBound',
      'AllowInternetOutBound',
      'DenyAllOutBound',
    ]);
    const listed = await collect(net().networkSecurityGroups.list('rg-net'));
    expect(listed.map((n) => n.name)).toContain('nsg-new');
    expect((await net().securityRules.get('rg-net', 'nsg-new', 'AllowApimStorageOutbound')).priority).toBe(100);
  });

  it('answers 201 then 200, with Azure-AsyncOperation under Microsoft.Network and the NSG Updating meanwhile', async () => {
    await setFaults(fresh.sandbox, { lroSeconds: 0.6 });
    const body = { location: 'westeurope', properties: { securityRules: [{ name: 'r1', properties: { ...storageRule(), name: undefined } }] } };
    const created = await arm(fresh.sandbox, 'PUT', `${NSG_NEW}?api-version=2024-05-01`, body);
    expect(created.status).toBe(201);
    expect(created.headers.get('azure-asyncoperation')).toMatch(
      new RegExp(`^${fresh.sandbox.url}/subscriptions/${SUB_A}/providers/Microsoft.Network/locations/westeurope/operations/[0-9a-f-]+\\?api-version=2024-05-01$`),
    );
    expect(created.body.properties.provisioningState).toBe('Updating');
    expect((await net().networkSecurityGroups.get('rg-net', 'nsg-new')).provisioningState).toBe('Updating');
    await new Promise((r) => setTimeout(r, 650));
    expect((await net().networkSecurityGroups.get('rg-net', 'nsg-new')).provisioningState).toBe('Succeeded');
    const updated = await arm(fresh.sandbox, 'PUT', `${NSG_NEW}?api-version=2024-05-01`, body);
    expect(updated.status).toBe(200);
  });

  it('a PUT replaces the custom rules and keeps the resourceGuid', async () => {
    const first = await create({ location: 'westeurope', securityRules: [storageRule(), storageRule({ name: 'other', priority: 200 })] });
    const second = await create({ location: 'West Europe', securityRules: [storageRule({ name: 'only', priority: 300 })] });
    expect(second.securityRules?.map((r) => [r.name, r.priority])).toEqual([['only', 300]]);
    expect(second.resourceGuid).toBe(first.resourceGuid);
    expect(second.location).toBe('westeurope');
  });

  it('an NSG without rules is fine; same priority in the two directions too', async () => {
    expect((await create({ location: 'westeurope' })).securityRules).toEqual([]);
    const done = await create({ location: 'westeurope', securityRules: [storageRule(), storageRule({ name: 'in', direction: 'Inbound' })] });
    expect(done.securityRules).toHaveLength(2);
  });

  it('keeps the back-references of subnets already using the NSG when it is replaced', async () => {
    const done = await create({ location: 'westeurope', securityRules: [storageRule({ priority: 150 })] }, 'nsg-apim');
    expect(done.subnets?.map((s) => s.id)).toContain(subnet('snet-good'));
    expect(done.securityRules?.map((r) => r.name)).toEqual(['AllowApimStorageOutbound']);
  });

  const invalid: [string, NetworkSecurityGroup, number, string][] = [
    ['two rules with one priority and direction', { location: 'westeurope', securityRules: [storageRule(), storageRule({ name: 'b' })] }, 400, 'SecurityRuleConflict'],
    ['priority below 100', { location: 'westeurope', securityRules: [storageRule({ priority: 99 })] }, 400, 'SecurityRuleInvalidPriority'],
    ['priority above 4096', { location: 'westeurope', securityRules: [storageRule({ priority: 4097 })] }, 400, 'SecurityRuleInvalidPriority'],
    ['no priority', { location: 'westeurope', securityRules: [storageRule({ priority: undefined })] }, 400, 'SecurityRuleInvalidPriority'],
    ['a port that is not a port', { location: 'westeurope', securityRules: [storageRule({ destinationPortRange: 'any' })] }, 400, 'SecurityRuleInvalidPortRange'],
    ['a port above 65535', { location: 'westeurope', securityRules: [storageRule({ destinationPortRange: '1-70000' })] }, 400, 'SecurityRuleInvalidPortRange'],
    ['no destination port', { location: 'westeurope', securityRules: [storageRule({ destinationPortRange: undefined })] }, 400, 'SecurityRuleInvalidPortRange'],
    ['an address prefix that does not parse', { location: 'westeurope', securityRules: [storageRule({ sourceAddressPrefix: '10.0.0.0/33' })] }, 400, 'SecurityRuleInvalidAddressPrefix'],
    ['no destination', { location: 'westeurope', securityRules: [storageRule({ destinationAddressPrefix: undefined })] }, 400, 'InvalidSecurityRule'],
    ['an unknown protocol', { location: 'westeurope', securityRules: [storageRule({ protocol: 'Http' })] }, 400, 'InvalidSecurityRule'],
    ['an unknown direction', { location: 'westeurope', securityRules: [storageRule({ direction: 'Sideways' })] }, 400, 'InvalidSecurityRule'],
    ['two rules with one name', { location: 'westeurope', securityRules: [storageRule(), storageRule({ name: 'allowapimstorageoutbound', priority: 200 })] }, 400, 'DuplicateSecurityRuleName'],
    ['no location', { securityRules: [storageRule()] }, 400, 'LocationRequired'],
  ];
  it.each(invalid)('rejects: %s', async (_label, body, status, code) => {
    expect(await errorCode(create(body))).toEqual({ statusCode: status, code });
    expect(await errorCode(net().networkSecurityGroups.get('rg-net', 'nsg-new'))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it('rejects a rule without a name (InvalidRequestContent)', async () => {
    const res = await arm(fresh.sandbox, 'PUT', `${NSG_NEW}?api-version=2024-05-01`, { location: 'westeurope', properties: { securityRules: [{ properties: storageRule() }] } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('InvalidRequestContent');
  });

  it('rejects another location for an existing NSG (InvalidResourceLocation)', async () => {
    expect(await errorCode(create({ location: 'northeurope' }, 'nsg-apim'))).toEqual({ statusCode: 400, code: 'InvalidResourceLocation' });
  });

  it('needs networkSecurityGroups/write (403 AuthorizationFailed), which Network Contributor has', async () => {
    for (const oid of [READER, SUBNET_WRITER, RULE_WRITER]) {
      expect(await errorCode(create({ location: 'westeurope' }, 'nsg-new', oid))).toEqual({ statusCode: 403, code: 'AuthorizationFailed' });
    }
    expect((await create({ location: 'westeurope' }, 'nsg-new', NET_ONLY)).provisioningState).toBe('Succeeded');
  });

  it('answers 404 ResourceGroupNotFound for an unknown resource group', async () => {
    expect(await errorCode(net().networkSecurityGroups.beginCreateOrUpdateAndWait('rg-nope', 'nsg', { location: 'westeurope' }, FAST))).toEqual({
      statusCode: 404,
      code: 'ResourceGroupNotFound',
    });
  });

  it('refuses a write while another runs on the NSG (409 AnotherOperationInProgress)', async () => {
    await setFaults(fresh.sandbox, { lroSeconds: 5 });
    await net().networkSecurityGroups.beginCreateOrUpdate('rg-net', 'nsg-new', { location: 'westeurope' }, FAST);
    expect(await errorCode(net().networkSecurityGroups.beginCreateOrUpdate('rg-net', 'nsg-new', { location: 'westeurope' }, FAST))).toEqual({
      statusCode: 409,
      code: 'AnotherOperationInProgress',
    });
  });

  it('with failLro a new NSG is gone and a replaced one is back as it was', async () => {
    await setFaults(fresh.sandbox, { failLro: true });
    await expect(create({ location: 'westeurope' })).rejects.toThrow(/InjectedOperationFailure/);
    expect(await errorCode(net().networkSecurityGroups.get('rg-net', 'nsg-new'))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
    await expect(create({ location: 'westeurope', securityRules: [] }, 'nsg-apim')).rejects.toThrow(/InjectedOperationFailure/);
    const back = await net().networkSecurityGroups.get('rg-net', 'nsg-apim');
    expect(back.securityRules?.map((r) => r.name)).toEqual(['AllowStorageOutbound']);
    expect(back.provisioningState).toBe('Succeeded');
  });
});

describe('PUT and DELETE …/networkSecurityGroups/{nsg}/securityRules/{rule} (long-running)', () => {
  const fresh = useFreshSandbox({ lroSeconds: 0.2 });
  const net = (oid?: string) => fresh.network(oid);
  const putRule = (rule: SecurityRule, nsg = 'nsg-apim', oid?: string) =>
    net(oid).securityRules.beginCreateOrUpdateAndWait('rg-net', nsg, rule.name ?? '', rule, FAST);


  it('adds a rule to an existing NSG, after the ones it has', async () => {
    const done = await putRule(storageRule({ name: 'AllowApimStorageOutbound', priority: 110 }));
    expect(done).toMatchObject({ id: `${NSG}/securityRules/AllowApimStorageOutbound`, priority: 110, provisioningState: 'Succeeded' });
    const nsg = await net().networkSecurityGroups.get('rg-net', 'nsg-apim');
    expect(nsg.securityRules?.map((r) => [r.name, r.priority])).toEqual([
      ['AllowStorageOutbound', 100],
      ['AllowApimStorageOutbound', 110],
    ]);
    expect(nsg.provisioningState).toBe('Succeeded');
    expect((await collect(net().securityRules.list('rg-net', 'nsg-apim'))).map((r) => r.name)).toEqual(['AllowStorageOutbound', 'AllowApimStorageOutbound']);
  });

  it('answers 201 for a new rule and 200 for a replaced one, keeping its place', async () => {
    const path = `${NSG}/securityRules/AllowStorageOutbound?api-version=2024-05-01`;
    const replaced = await arm(fresh.sandbox, 'PUT', path, { properties: { ...storageRule({ priority: 120 }), name: undefined } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ name: 'AllowStorageOutbound', properties: { priority: 120, provisioningState: 'Updating' } });
    expect(replaced.headers.get('azure-asyncoperation')).toContain('/providers/Microsoft.Network/locations/westeurope/operations/');
    await new Promise((r) => setTimeout(r, 250));
    const created = await arm(fresh.sandbox, 'PUT', `${NSG}/securityRules/new-rule?api-version=2024-05-01`, { properties: { ...storageRule({ priority: 130 }), name: undefined } });
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, 250));
    const nsg = await net().networkSecurityGroups.get('rg-net', 'nsg-apim');
    expect(nsg.securityRules?.map((r) => [r.name, r.priority])).toEqual([
      ['AllowStorageOutbound', 120],
      ['new-rule', 130],
    ]);
  });

  it('refuses a priority another rule of the NSG holds in that direction (SecurityRuleConflict)', async () => {
    expect(await errorCode(putRule(storageRule({ name: 'clash', priority: 100 })))).toEqual({ statusCode: 400, code: 'SecurityRuleConflict' });
    expect((await putRule(storageRule({ name: 'inbound', priority: 100, direction: 'Inbound' }))).priority).toBe(100);
  });

  it('validates the rule like an NSG PUT', async () => {
    expect(await errorCode(putRule(storageRule({ name: 'low', priority: 50 })))).toEqual({ statusCode: 400, code: 'SecurityRuleInvalidPriority' });
    expect(await errorCode(putRule(storageRule({ name: 'port', destinationPortRange: '443,80' })))).toEqual({ statusCode: 400, code: 'SecurityRuleInvalidPortRange' });
  });

  it('answers 404 when the NSG does not exist', async () => {
    expect(await errorCode(putRule(storageRule(), 'nsg-nope'))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it('needs securityRules/write; a rule writer may add rules but not write the NSG itself', async () => {
    expect(await errorCode(putRule(storageRule({ name: 'x', priority: 200 }), 'nsg-apim', READER))).toEqual({ statusCode: 403, code: 'AuthorizationFailed' });
    expect((await putRule(storageRule({ name: 'x', priority: 200 }), 'nsg-apim', RULE_WRITER)).provisioningState).toBe('Succeeded');
    const whole = net(RULE_WRITER).networkSecurityGroups.beginCreateOrUpdateAndWait('rg-net', 'nsg-apim', { location: 'westeurope' }, FAST);
    expect(await errorCode(whole)).toEqual({ statusCode: 403, code: 'AuthorizationFailed' });
  });

  it('while a rule is written the NSG is Updating: other writes wait (409), a subnet PUT referencing it is told to retry (429)', async () => {
    await setFaults(fresh.sandbox, { lroSeconds: 5 });
    await net().securityRules.beginCreateOrUpdate('rg-net', 'nsg-apim', 'slow', storageRule({ name: 'slow', priority: 300 }), FAST);
    expect((await net().networkSecurityGroups.get('rg-net', 'nsg-apim')).provisioningState).toBe('Updating');
    expect(await errorCode(net().securityRules.beginCreateOrUpdate('rg-net', 'nsg-apim', 'other', storageRule({ name: 'other', priority: 400 }), FAST))).toEqual({
      statusCode: 409,
      code: 'AnotherOperationInProgress',
    });
    const res = await arm(fresh.sandbox, 'PUT', `${subnet('snet-new')}?api-version=2024-05-01`, { properties: { addressPrefix: '10.0.30.0/24', networkSecurityGroup: { id: NSG } } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body.error).toMatchObject({ code: 'RetryableError', details: [{ code: 'ReferencedResourceNotProvisioned' }] });
  });

  it('with failLro the NSG is back as it was', async () => {
    await setFaults(fresh.sandbox, { failLro: true });
    await expect(putRule(storageRule({ name: 'doomed', priority: 300 }))).rejects.toThrow(/InjectedOperationFailure/);
    const nsg = await net().networkSecurityGroups.get('rg-net', 'nsg-apim');
    expect(nsg.securityRules?.map((r) => r.name)).toEqual(['AllowStorageOutbound']);
    expect(nsg.provisioningState).toBe('Succeeded');
  });

  it('deletes a rule (202, then gone); deleting it again answers 204', async () => {
    await putRule(storageRule({ name: 'extra', priority: 300 }));
    await net().securityRules.beginDeleteAndWait('rg-net', 'nsg-apim', 'extra', FAST);
    expect(await errorCode(net().securityRules.get('rg-net', 'nsg-apim', 'extra'))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
    expect((await net().networkSecurityGroups.get('rg-net', 'nsg-apim')).securityRules?.map((r) => r.name)).toEqual(['AllowStorageOutbound']);
    expect((await arm(fresh.sandbox, 'DELETE', `${NSG}/securityRules/extra?api-version=2024-05-01`)).status).toBe(204);
  });

  it('deleting a rule needs securityRules/delete', async () => {
    expect(await errorCode(net(READER).securityRules.beginDeleteAndWait('rg-net', 'nsg-apim', 'AllowStorageOutbound', FAST))).toEqual({
      statusCode: 403,
      code: 'AuthorizationFailed',
    });
    await net(RULE_WRITER).securityRules.beginDeleteAndWait('rg-net', 'nsg-apim', 'AllowStorageOutbound', FAST);
    expect((await net().networkSecurityGroups.get('rg-net', 'nsg-apim')).securityRules).toEqual([]);
  });
});

describe('DELETE …/networkSecurityGroups/{name} (long-running)', () => {
  const fresh = useFreshSandbox({ lroSeconds: 0.2 });
  const net = (oid?: string) => fresh.network(oid);


  it('refuses while a subnet uses it (InUseNetworkSecurityGroupCannotBeDeleted), naming the subnets', async () => {
    const res = await arm(fresh.sandbox, 'DELETE', `${NSG}?api-version=2024-05-01`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('InUseNetworkSecurityGroupCannotBeDeleted');
    expect(res.body.error.message).toContain(subnet('snet-good'));
    expect(await errorCode(net().networkSecurityGroups.beginDeleteAndWait('rg-net', 'nsg-apim', FAST))).toEqual({
      statusCode: 400,
      code: 'InUseNetworkSecurityGroupCannotBeDeleted',
    });
  });

  it('refuses while a network interface uses it', async () => {
    const { testSeed } = await import('./fixtures.js');
    const seed = testSeed();
    const nsgNic = `${RG_NET}/providers/Microsoft.Network/networkSecurityGroups/nsg-nic`;
    seed.resources.push(
      { id: nsgNic, name: 'nsg-nic', type: 'Microsoft.Network/networkSecurityGroups', location: 'westeurope', properties: {} },
      { id: `${RG_NET}/providers/Microsoft.Network/networkInterfaces/nic9`, name: 'nic9', type: 'Microsoft.Network/networkInterfaces', location: 'westeurope', properties: { networkSecurityGroup: { id: nsgNic } } },
    );
    await fresh.restart({ seed });
    const res = await arm(fresh.sandbox, 'DELETE', `${nsgNic}?api-version=2024-05-01`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'InUseNetworkSecurityGroupCannotBeDeleted', message: expect.stringContaining('nic9') });
  });

  it('deletes an unused NSG: 202 with Azure-AsyncOperation and Location, Deleting, then gone; again 204', async () => {
    await net().networkSecurityGroups.beginCreateOrUpdateAndWait('rg-net', 'nsg-new', { location: 'westeurope' }, FAST);
    await setFaults(fresh.sandbox, { lroSeconds: 0.5 });
    const res = await arm(fresh.sandbox, 'DELETE', `${NSG_NEW}?api-version=2024-05-01`);
    expect(res.status).toBe(202);
    expect(res.headers.get('azure-asyncoperation')).toContain('/providers/Microsoft.Network/locations/westeurope/operations/');
    expect(res.headers.get('location')).toContain('/providers/Microsoft.Network/locations/westeurope/operationResults/');
    expect((await net().networkSecurityGroups.get('rg-net', 'nsg-new')).provisioningState).toBe('Deleting');
    await new Promise((r) => setTimeout(r, 550));
    expect(await errorCode(net().networkSecurityGroups.get('rg-net', 'nsg-new'))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
    const result = await arm(fresh.sandbox, 'GET', (res.headers.get('location') ?? '').slice(fresh.sandbox.url.length));
    expect(result.status).toBe(204);
    expect((await arm(fresh.sandbox, 'DELETE', `${NSG_NEW}?api-version=2024-05-01`)).status).toBe(204);
  });

  it('deletes with the SDK once the subnets no longer use it', async () => {
    const client = net();
    for (const name of ['snet-good', 'snet-good2', 'snet-small', 'snet-nodeleg']) {
      const current = await client.subnets.get('rg-net', 'vnet-weu', name);
      await client.subnets.beginCreateOrUpdateAndWait('rg-net', 'vnet-weu', name, { ...current, networkSecurityGroup: undefined }, FAST);
    }
    expect((await client.networkSecurityGroups.get('rg-net', 'nsg-apim')).subnets ?? []).toEqual([]);
    await client.networkSecurityGroups.beginDeleteAndWait('rg-net', 'nsg-apim', FAST);
    expect(await errorCode(client.networkSecurityGroups.get('rg-net', 'nsg-apim'))).toEqual({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it('needs networkSecurityGroups/delete', async () => {
    await net().networkSecurityGroups.beginCreateOrUpdateAndWait('rg-net', 'nsg-new', { location: 'westeurope' }, FAST);
    for (const oid of [READER, RULE_WRITER, SUBNET_WRITER]) {
      expect(await errorCode(net(oid).networkSecurityGroups.beginDeleteAndWait('rg-net', 'nsg-new', FAST))).toEqual({ statusCode: 403, code: 'AuthorizationFailed' });
    }
    await net(NET_ONLY).networkSecurityGroups.beginDeleteAndWait('rg-net', 'nsg-new', FAST);
  });

  it('refuses while a write on it runs, and with failLro the NSG stays', async () => {
    await setFaults(fresh.sandbox, { lroSeconds: 1 });
    await net().networkSecurityGroups.beginCreateOrUpdate('rg-net', 'nsg-new', { location: 'westeurope' }, FAST);
    expect(await errorCode(net().networkSecurityGroups.beginDelete('rg-net', 'nsg-new', FAST))).toEqual({ statusCode: 409, code: 'AnotherOperationInProgress' });
    await new Promise((r) => setTimeout(r, 1100));
    await setFaults(fresh.sandbox, { lroSeconds: 0.1, failLro: true });
    await expect(net().networkSecurityGroups.beginDeleteAndWait('rg-net', 'nsg-new', FAST)).rejects.toThrow(/InjectedOperationFailure/);
    expect((await net().networkSecurityGroups.get('rg-net', 'nsg-new')).provisioningState).toBe('Succeeded');
  });
});

describe('the bot\'s build, end to end over the SDK: NSG, delegated subnet with it, then undo', () => {
  const fresh = useFreshSandbox({ lroSeconds: 0.1 });
  const net = () => fresh.network();


  it('creates and removes only what it made', async () => {
    const client = net();
    const nsg = await client.networkSecurityGroups.beginCreateOrUpdateAndWait('rg-net', 'nsg-new', { location: 'westeurope', securityRules: [storageRule()] }, FAST);
    const made = await client.subnets.beginCreateOrUpdateAndWait(
      'rg-net',
      'vnet-weu',
      'snet-apim-new',
      { addressPrefix: '10.0.32.0/24', delegations: [SERVER_FARMS], networkSecurityGroup: { id: nsg.id } },
      FAST,
    );
    expect(made).toMatchObject({ provisioningState: 'Succeeded', addressPrefix: '10.0.32.0/24', networkSecurityGroup: { id: NSG_NEW } });
    expect(made.delegations?.map((d) => d.serviceName)).toEqual(['Microsoft.Web/serverFarms']);
    expect((await client.networkSecurityGroups.get('rg-net', 'nsg-new')).subnets?.map((s) => s.id)).toEqual([subnet('snet-apim-new')]);
    expect(await errorCode(client.networkSecurityGroups.beginDeleteAndWait('rg-net', 'nsg-new', FAST))).toEqual({
      statusCode: 400,
      code: 'InUseNetworkSecurityGroupCannotBeDeleted',
    });

    await client.subnets.beginDeleteAndWait('rg-net', 'vnet-weu', 'snet-apim-new', FAST);
    expect((await client.networkSecurityGroups.get('rg-net', 'nsg-new')).subnets ?? []).toEqual([]);
    await client.networkSecurityGroups.beginDeleteAndWait('rg-net', 'nsg-new', FAST);
    const vnet = await client.virtualNetworks.get('rg-net', 'vnet-weu');
    expect(vnet.subnets?.map((s) => s.name)).not.toContain('snet-apim-new');
    expect(vnet.subnets).toHaveLength(9);
    expect((await client.networkSecurityGroups.get('rg-net', 'nsg-apim')).subnets).toHaveLength(4);
  });
});
