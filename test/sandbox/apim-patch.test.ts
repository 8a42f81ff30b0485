import { describe, expect, it } from 'vitest';
import { APIM_ONLY, JOINER, READER, SUB_A, VNET, VNET_B, VNET_NEU, apim, subnet } from './fixtures.js';
import { arm, errorCode, requestLog, setFaults, useFreshSandbox } from './helpers.js';

const integrate = (subnetResourceId: string) => ({ virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId } });
const FAST = { updateIntervalInMs: 20 };

describe('PATCH Microsoft.ApiManagement/service (long-running)', () => {
  const fresh = useFreshSandbox({ lroSeconds: 0.2 });
  const apimAs = (oid?: string) => fresh.apiManagement(oid);
  const network = () => fresh.network();
  const patches = async () => (await requestLog(fresh.sandbox)).filter((r) => r.method === 'PATCH');


  it('integrates: Updating, then Succeeded with the new settings and a service association link', async () => {
    await setFaults(fresh.sandbox, { lroSeconds: 0.8 });
    const client = apimAs();
    const poller = await client.apiManagementService.beginUpdate('rg-apim', 'apim-std', integrate(subnet('snet-good')), FAST);
    expect((await client.apiManagementService.get('rg-apim', 'apim-std')).provisioningState).toBe('Updating');
    const done = await poller.pollUntilDone();
    expect(done.provisioningState).toBe('Succeeded');
    expect(done.virtualNetworkType).toBe('External');
    expect(done.virtualNetworkConfiguration?.subnetResourceId).toBe(subnet('snet-good'));
    expect(done.publisherEmail).toBe('api@contoso.example');
    const sn = await network().subnets.get('rg-net', 'vnet-weu', 'snet-good');
    expect(sn.serviceAssociationLinks).toEqual([
      expect.objectContaining({ name: 'apim-apim-std', linkedResourceType: 'Microsoft.ApiManagement/service', link: apim('apim-std') }),
    ]);
    expect(await patches()).toHaveLength(1);
  });

  it('answers 202 with absolute Azure-AsyncOperation, Location and Retry-After; status and result URLs behave', async () => {
    await setFaults(fresh.sandbox, { lroSeconds: 0.8 });
    const res = await arm(fresh.sandbox, 'PATCH', `${apim('apim-std')}?api-version=2024-05-01`, { properties: integrate(subnet('snet-good')) });
    expect(res.status).toBe(202);
    const statusUrl = res.headers.get('azure-asyncoperation') ?? '';
    const location = res.headers.get('location') ?? '';
    expect(statusUrl.startsWith(`${fresh.sandbox.url}/subscriptions/${SUB_A}/providers/Microsoft.ApiManagement/locations/westeurope/`)).toBe(true);
    expect(location.startsWith(fresh.sandbox.url)).toBe(true);
    expect(res.headers.get('retry-after')).toBe('0');
    const path = (u: string) => u.slice(fresh.sandbox.url.length);
    const running = await arm(fresh.sandbox, 'GET', path(statusUrl));
    expect(running.body).toMatchObject({ status: 'InProgress' });
    expect(running.body.startTime).toBeTruthy();
    expect((await arm(fresh.sandbox, 'GET', path(location))).status).toBe(202);
    await new Promise((r) => setTimeout(r, 850));
    const finished = await arm(fresh.sandbox, 'GET', path(statusUrl));
    expect(finished.body).toMatchObject({ status: 'Succeeded' });
    expect(finished.body.endTime).toBeTruthy();
    const result = await arm(fresh.sandbox, 'GET', path(location));
    expect(result.status).toBe(200);
    expect(result.body.properties.virtualNetworkType).toBe('External');
  });

  it('uses whole-second Retry-After for longer operations', async () => {
    await setFaults(fresh.sandbox, { lroSeconds: 3 });
    const res = await arm(fresh.sandbox, 'PATCH', `${apim('apim-std')}?api-version=2024-05-01`, { properties: integrate(subnet('snet-good')) });
    expect(res.headers.get('retry-after')).toBe('3');
  });

  it('resumes a poller from its serialised state without sending the PATCH again', async () => {
    const client = apimAs();
    const first = await client.apiManagementService.beginUpdate('rg-apim', 'apim-std', integrate(subnet('snet-good')), FAST);
    const saved = first.toString();
    const resumed = await apimAs().apiManagementService.beginUpdate('rg-apim', 'apim-std', {}, { resumeFrom: saved, ...FAST });
    const done = await resumed.pollUntilDone();
    expect(done.virtualNetworkConfiguration?.subnetResourceId).toBe(subnet('snet-good'));
    expect(await patches()).toHaveLength(1);
  });

  it('refuses a second update while one runs (409 PessimisticConcurrencyConflict)', async () => {
    await setFaults(fresh.sandbox, { lroSeconds: 5 });
    const client = apimAs();
    await client.apiManagementService.beginUpdate('rg-apim', 'apim-std', integrate(subnet('snet-good')), FAST);
    expect(await errorCode(client.apiManagementService.beginUpdate('rg-apim', 'apim-std', integrate(subnet('snet-good2'))))).toEqual({
      statusCode: 409,
      code: 'PessimisticConcurrencyConflict',
    });
    expect(await errorCode(client.apiManagementService.beginUpdate('rg-apim', 'apim-busy', integrate(subnet('snet-good'))))).toEqual({
      statusCode: 409,
      code: 'PessimisticConcurrencyConflict',
    });
  });

  it('with failLro the operation fails and the instance keeps its network settings', async () => {
    await setFaults(fresh.sandbox, { failLro: true });
    const client = apimAs();
    const poller = await client.apiManagementService.beginUpdate('rg-apim', 'apim-std', integrate(subnet('snet-good')), FAST);
    // core-lro reports a failed operation as a plain Error whose message carries ARM's error code
    await expect(poller.pollUntilDone()).rejects.toThrow(/InjectedOperationFailure/);
    const svc = await client.apiManagementService.get('rg-apim', 'apim-std');
    expect(svc.provisioningState).toBe('Succeeded');
    expect(svc.virtualNetworkType).toBe('None');
    expect((await network().subnets.get('rg-net', 'vnet-weu', 'snet-good')).serviceAssociationLinks ?? []).toEqual([]);
  });

  it('moves the link when the subnet changes and removes it with None', async () => {
    const client = apimAs();
    await (await client.apiManagementService.beginUpdate('rg-apim', 'apim-std', integrate(subnet('snet-good')), FAST)).pollUntilDone();
    await (await client.apiManagementService.beginUpdate('rg-apim', 'apim-std', integrate(subnet('snet-multi')), FAST)).pollUntilDone();
    const net = network();
    expect((await net.subnets.get('rg-net', 'vnet-weu', 'snet-good')).serviceAssociationLinks ?? []).toEqual([]);
    expect((await net.subnets.get('rg-net', 'vnet-weu', 'snet-multi')).serviceAssociationLinks?.map((l) => l.link)).toEqual([apim('apim-std')]);
    // re-applying the same subnet is allowed: the only link is this instance's own
    await (await client.apiManagementService.beginUpdate('rg-apim', 'apim-std', { virtualNetworkType: 'None' }, FAST)).pollUntilDone();
    const svc = await client.apiManagementService.get('rg-apim', 'apim-std');
    expect(svc.virtualNetworkType).toBe('None');
    expect(svc.virtualNetworkConfiguration).toBeUndefined();
    expect((await net.subnets.get('rg-net', 'vnet-weu', 'snet-multi')).serviceAssociationLinks ?? []).toEqual([]);
  });

  it('accepts a custom role that grants join/action on the subnet only', async () => {
    const poller = await apimAs(JOINER).apiManagementService.beginUpdate('rg-apim', 'apim-std2', integrate(subnet('snet-good2')), FAST);
    expect((await poller.pollUntilDone()).virtualNetworkType).toBe('External');
  });

  const cases: [string, string, string, unknown, number, string][] = [
    ['caller lacks service/write', READER, 'apim-std', integrate(subnet('snet-good')), 403, 'AuthorizationFailed'],
    ['caller lacks subnets/join/action', APIM_ONLY, 'apim-std', integrate(subnet('snet-good')), 403, 'LinkedAuthorizationFailed'],
    ['join granted on another subnet only', JOINER, 'apim-std2', integrate(subnet('snet-good')), 403, 'LinkedAuthorizationFailed'],
    ['Basic v2', '', 'apim-basic', integrate(subnet('snet-good')), 400, 'SkuDoesNotSupportVirtualNetworkIntegration'],
    ['classic Developer', '', 'apim-dev', integrate(subnet('snet-good')), 400, 'SkuDoesNotSupportVirtualNetworkIntegration'],
    ['Premium v2 injected', '', 'apim-prem', integrate(subnet('snet-good')), 400, 'CannotSwitchVirtualNetworkMode'],
    ['Internal', '', 'apim-std', { virtualNetworkType: 'Internal', virtualNetworkConfiguration: { subnetResourceId: subnet('snet-good') } }, 400, 'UnsupportedVirtualNetworkType'],
    ['unknown type', '', 'apim-std', { virtualNetworkType: 'Sideways' }, 400, 'UnsupportedVirtualNetworkType'],
    ['External without subnet', '', 'apim-std', { virtualNetworkType: 'External' }, 400, 'VirtualNetworkConfigurationRequired'],
    ['a VNet id instead of a subnet id', '', 'apim-std', integrate(VNET), 400, 'VirtualNetworkConfigurationRequired'],
    ['other subscription', '', 'apim-std', integrate(subnet('snet-b', VNET_B)), 400, 'SubnetInDifferentSubscription'],
    ['missing subnet', '', 'apim-std', integrate(subnet('snet-nope')), 400, 'SubnetNotFound'],
    ['other region (VNet)', '', 'apim-std', integrate(subnet('snet-neu', VNET_NEU)), 400, 'SubnetInDifferentRegion'],
    ['other region (instance)', '', 'apim-neu', integrate(subnet('snet-good')), 400, 'SubnetInDifferentRegion'],
    ['no delegation', '', 'apim-std', integrate(subnet('snet-nodeleg')), 400, 'VirtualNetworkSubnetHasIncorrectDelegation'],
    ['hostingEnvironments delegation', '', 'apim-std', integrate(subnet('snet-hosting')), 400, 'VirtualNetworkSubnetHasIncorrectDelegation'],
    ['subnet with a NIC', '', 'apim-std', integrate(subnet('snet-nic')), 400, 'SubnetInUse'],
    ['/28 subnet', '', 'apim-std', integrate(subnet('snet-small')), 400, 'SubnetTooSmall'],
  ];

  it.each(cases)('rejects synchronously: %s', async (_label, oid, name, patch, status, code) => {
    const client = apimAs(oid || undefined);
    expect(await errorCode(client.apiManagementService.beginUpdate('rg-apim', name, patch as never))).toEqual({ statusCode: status, code });
    expect((await apimAs().apiManagementService.get('rg-apim', name)).provisioningState).toBe('Succeeded');
  });

  it('rejects a subnet used by another instance with SubnetInUse', async () => {
    await (await apimAs().apiManagementService.beginUpdate('rg-apim', 'apim-std', integrate(subnet('snet-good')), FAST)).pollUntilDone();
    expect(await errorCode(apimAs().apiManagementService.beginUpdate('rg-apim', 'apim-std2', integrate(subnet('snet-good'))))).toEqual({
      statusCode: 400,
      code: 'SubnetInUse',
    });
  });

  it('answers ARM error bodies for bad JSON', async () => {
    const token = (await (await fetch(`${fresh.sandbox.url}/_sandbox/token`)).json()) as { access_token: string };
    const res = await fetch(`${fresh.sandbox.url}${apim('apim-std')}?api-version=2024-05-01`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: '{ not json',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('InvalidRequestContent');
  });
});
