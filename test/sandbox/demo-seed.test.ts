import { existsSync } from 'node:fs';
import { ApiManagementClient } from '@azure/arm-apimanagement';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { NetworkManagementClient } from '@azure/arm-network';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { describe, expect, it } from 'vitest';
import { defaultSeedPath, loadSeedFile, startSandbox } from '../../src/sandbox/index.js';
import { authorize, clientOptions, collect, unusedCredential } from './helpers.js';

/** Smoke test of seeds/demo.json (written elsewhere): it loads, and every list the bot makes answers. */
describe.skipIf(!existsSync(defaultSeedPath()))('the demo seed', () => {
  it('loads and serves subscriptions, services, VNets, NSGs and role assignments', async () => {
    const seed = await loadSeedFile(defaultSeedPath());
    const sandbox = await startSandbox({ seed, lroSeconds: 0.1, pageSize: 5 });
    try {
      const subs = await collect(authorize(new SubscriptionClient(unusedCredential, clientOptions(sandbox)), sandbox.url).subscriptions.list());
      expect(subs.length).toBeGreaterThan(0);
      for (const sub of subs) {
        const id = sub.subscriptionId ?? '';
        const network = authorize(new NetworkManagementClient(unusedCredential, id, clientOptions(sandbox)), sandbox.url);
        const apim = authorize(new ApiManagementClient(unusedCredential, id, clientOptions(sandbox)), sandbox.url);
        const auth = authorize(new AuthorizationManagementClient(unusedCredential, id, clientOptions(sandbox)), sandbox.url);
        await collect(network.virtualNetworks.listAll());
        await collect(network.networkSecurityGroups.listAll());
        await collect(network.routeTables.listAll());
        for (const svc of await collect(apim.apiManagementService.list())) {
          const rg = (svc.id ?? '').split('/')[4] ?? '';
          await collect(auth.permissions.listForResource(rg, 'Microsoft.ApiManagement', '', 'service', svc.name ?? ''));
        }
        await collect(auth.roleAssignments.listForScope(`subscriptions/${id}`, { filter: `assignedTo('${seed.botPrincipalId}')` }));
      }
    } finally {
      await sandbox.close();
    }
  });

  it('serves the forced-tunnel route table on spoke-apps-vnet/apim-outbound-spoke', async () => {
    const seed = await loadSeedFile(defaultSeedPath());
    const sandbox = await startSandbox({ seed, lroSeconds: 0.1 });
    try {
      const network = authorize(new NetworkManagementClient(unusedCredential, '189f6b01-5c3e-44f0-b915-6bbfe34712cc', clientOptions(sandbox)), sandbox.url);
      const table = await network.routeTables.get('rg-network-hub', 'rt-spoke-to-firewall');
      expect(table.routes?.find((r) => r.addressPrefix === '0.0.0.0/0')).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.10.0.68' });
      expect(table.subnets?.map((s) => s.id?.split('/').pop())).toEqual(['apim-outbound-spoke']);
      expect((await network.subnets.get('rg-network-hub', 'hub-vnet', 'apim-dualstack')).natGateway?.id).toMatch(/natGateways\/nat-hub-outbound$/);
    } finally {
      await sandbox.close();
    }
  });
});
