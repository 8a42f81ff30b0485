import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { reportJson } from '../../src/check/report-json.js';
import { subnetProposalFor } from '../../src/check/subnet-proposal.js';
import { DEFAULT_SETTINGS } from '../../src/eligibility/facts.js';
import { sandboxWithClients } from '../azure/harness.js';
import { ALICE, instanceId, rg, ROLE, roleAssignmentDocument, SUB, vnetDocument, vnetEstate } from '../support/index.js';

/** May change the instance, not the networks. */
const ERIN = 'e2150000-0000-0000-0000-000000000001';

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

/** No usable subnet: one VNet with a /28 in a /16 space, one VNet whose /24 space is fully taken. */
function crampedEstate(fullOnly = false) {
  const seed = vnetEstate(0, 0);
  const roomy = vnetDocument(SUB, 'rg-net', 'roomy-vnet', 'westeurope', [{ name: 'tiny', prefix: '10.1.0.0/28', delegated: true }]);
  roomy.properties.addressSpace.addressPrefixes = ['10.1.0.0/16'];
  const full = vnetDocument(SUB, 'rg-net', 'full-vnet', 'westeurope', [
    { name: 'a', prefix: '10.2.0.0/25', delegated: true },
    { name: 'b', prefix: '10.2.0.128/25', delegated: true },
  ]);
  full.properties.addressSpace.addressPrefixes = ['10.2.0.0/24'];
  full.properties.subnets.forEach((s) => Object.assign(s.properties, { ipConfigurations: [{ id: `${s.id}/nic` }] }));
  seed.resources.push(...(fullOnly ? [full] : [roomy, full]));
  return seed;
}

async function check(seed: unknown, requesterId: string | null, always = false) {
  const h = await sandboxWithClients(seed);
  close = () => h.sandbox.close();
  const outcome = await runCheck(h.arm, { instance: instanceId(), requesterId }, DEFAULT_SETTINGS);
  return { outcome, proposal: subnetProposalFor(outcome, DEFAULT_SETTINGS, always) };
}

describe('the subnet proposal of a check', () => {
  it('proposes the first free /24 in a VNet the requester and the bot may change when no subnet fits', async () => {
    const { outcome, proposal } = await check(crampedEstate(), ALICE);
    expect(outcome.report.subnets.every((s) => s.verdict === 'ineligible')).toBe(true);
    expect(proposal?.proposal).toMatchObject({ vnetName: 'roomy-vnet', name: 'snet-apim-contoso-apim-outbound', addressPrefix: '10.1.1.0/24' });
    expect(reportJson(outcome.report, proposal).proposal).toEqual({
      vnetId: expect.stringMatching(/\/virtualNetworks\/roomy-vnet$/),
      name: 'snet-apim-contoso-apim-outbound',
      addressPrefix: '10.1.1.0/24',
      nsg: { id: expect.stringMatching(/\/networkSecurityGroups\/nsg-apim-contoso-apim-outbound$/), create: true },
    });
  });

  it('says why when every VNet is full', async () => {
    const { outcome, proposal } = await check(crampedEstate(true), ALICE);
    expect(proposal?.proposal).toBeNull();
    expect(proposal?.reason?.code).toBe('NO_FREE_SPACE');
    expect(reportJson(outcome.report, proposal)).toMatchObject({ proposal: null, proposalRefused: { code: 'NO_FREE_SPACE' } });
  });

  it('proposes nothing in a VNet the requester may not change', async () => {
    const seed = crampedEstate();
    seed.resources.push(roleAssignmentDocument(rg('rg-apim'), ERIN, ROLE.apimContributor, 50), roleAssignmentDocument(`/subscriptions/${SUB}`, ERIN, ROLE.reader, 51));
    const { proposal } = await check(seed, ERIN);
    expect(proposal?.proposal).toBeNull();
    expect(proposal?.reason?.code).toBe('NO_VNET_REQUESTER_MAY_CHANGE');
  });

  it('looks for one only when no subnet fits, unless asked', async () => {
    const seed = vnetEstate(1, 1);
    expect((await check(seed, ALICE)).proposal).toBeNull();
    await close?.();
    const asked = await check(seed, ALICE, true);
    expect(asked.proposal?.proposal).toMatchObject({ vnetName: 'vnet-0', addressPrefix: '10.0.1.0/24' });
  });
});
