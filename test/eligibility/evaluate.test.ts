import { describe, expect, it } from 'vitest';
import * as eligibility from '../../src/eligibility/index.js';
import { DEFAULT_SETTINGS, evaluateEligibility, FindingCode, type CheckFacts, type EligibilityReport } from '../../src/eligibility/index.js';
import {
  access,
  facts,
  grant,
  INSTANCE_ID,
  natGatewayId,
  nsg,
  OTHER_INSTANCE_ID,
  OTHER_SUB,
  RG_NET,
  routeTable,
  routeTableId,
  rule,
  KEYVAULT_ALLOW,
  SUB,
  subnet,
  subnetId,
} from './facts-builder.js';

function allCodes(report: EligibilityReport): Set<string> {
  return new Set([...report.findings, ...report.subnets.flatMap((s) => s.findings)].map((f) => f.code));
}

/** A messy subscription: one of every subnet problem. */
function estate(): CheckFacts {
  return facts({
    subnets: [
      subnet('good'),
      subnet('region', { vnetName: 'us-vnet', vnetLocation: 'eastus' }),
      subnet('other-sub', { subscriptionId: OTHER_SUB }),
      subnet('tiny', { addressPrefixes: ['10.0.2.0/28'] }),
      subnet('small', { addressPrefixes: ['10.0.3.0/26'] }),
      subnet('nics', { ipConfigurationIds: [`${RG_NET}/providers/Microsoft.Network/networkInterfaces/nic1/ipConfigurations/ip1`] }),
      subnet('taken', { serviceAssociationLinks: [{ linkedResourceType: 'Microsoft.ApiManagement/service', link: OTHER_INSTANCE_ID }] }),
      subnet('empty-undelegated', { delegations: [] }),
      subnet('wrong-delegation', { delegations: ['Microsoft.Web/hostingEnvironments'] }),
      subnet('no-nsg', { networkSecurityGroupId: null }),
      subnet('blocked', { networkSecurityGroupId: nsg([]).id.replace('nsg-apim', 'nsg-deny') }),
      subnet('default-only', { networkSecurityGroupId: nsg([]).id.replace('nsg-apim', 'nsg-default') }),
      subnet('storage-denied', { networkSecurityGroupId: nsg([]).id.replace('nsg-apim', 'nsg-no-storage') }),
      subnet('current', {
        serviceAssociationLinks: [{ linkedResourceType: 'Microsoft.ApiManagement/service', link: INSTANCE_ID }],
      }),
      subnet('tunnelled', { routeTableId: routeTableId() }),
      subnet('unread-table', { routeTableId: routeTableId('rt-secret') }),
      subnet('nat', { natGatewayId: natGatewayId() }),
    ],
    routeTables: [routeTable()],
    nsgs: [
      nsg(),
      nsg([rule({ name: 'deny-internet', priority: 100, access: 'Deny', destinationAddressPrefixes: ['Internet'] }), KEYVAULT_ALLOW], 'nsg-deny'),
      nsg([], 'nsg-default'),
      // Storage is optional (DEFAULT_DEPENDENCIES): denying it is worth a warning, not a block.
      nsg([rule({ name: 'deny-storage', priority: 100, access: 'Deny', destinationAddressPrefixes: ['Storage'] }), KEYVAULT_ALLOW], 'nsg-no-storage'),
    ],
    instance: { virtualNetworkType: 'External', subnetResourceId: subnetId('current') },
  });
}

describe('evaluateEligibility', () => {
  it('judges each subnet of a messy estate', () => {
    const report = evaluateEligibility(estate());
    const byName = Object.fromEntries(report.subnets.map((s) => [s.name, s.findings.map((f) => `${f.code}:${f.severity}`)]));
    expect(byName).toEqual({
      good: [],
      region: ['REGION_MISMATCH:blocking'],
      // the principals hold rights in the instance's subscription only
      'other-sub': ['SUBSCRIPTION_MISMATCH:blocking', 'REQUESTER_PERMISSION_MISSING:blocking', 'BOT_PERMISSION_MISSING:blocking'],
      tiny: ['SUBNET_TOO_SMALL:blocking'],
      small: ['SUBNET_BELOW_RECOMMENDED:warning'],
      nics: ['SUBNET_IN_USE:blocking'],
      taken: ['SUBNET_USED_BY_OTHER_APIM:blocking'],
      'empty-undelegated': ['DELEGATION_MISSING:fixable'],
      'wrong-delegation': ['DELEGATION_WRONG:blocking'],
      'no-nsg': ['NSG_MISSING:fixable'],
      blocked: ['NSG_BLOCKS_DEPENDENCY:blocking', 'NSG_BLOCKS_OPTIONAL_DEPENDENCY:warning'],
      'default-only': ['NSG_DEPENDENCY_NOT_EXPLICIT:warning'],
      'storage-denied': ['NSG_BLOCKS_OPTIONAL_DEPENDENCY:warning'],
      current: ['ALREADY_INTEGRATED:info'],
      tunnelled: ['ROUTE_FORCED_TUNNELING:warning'],
      'unread-table': ['ROUTE_TABLE_NOT_READ:warning'],
      nat: ['NAT_GATEWAY_ATTACHED:info'],
    });
    expect(report.findings.map((f) => f.code)).toEqual(['ALREADY_INTEGRATED']);
    expect(report.subnets.map((s) => `${s.name}:${s.verdict}`)).toEqual([
      'current:eligible',
      'default-only:eligible',
      'good:eligible',
      'nat:eligible',
      'storage-denied:eligible',
      'tunnelled:eligible',
      'unread-table:eligible',
      'small:eligible',
      'empty-undelegated:fixable',
      'no-nsg:fixable',
      'blocked:ineligible',
      'nics:ineligible',
      'other-sub:ineligible',
      'region:ineligible',
      'taken:ineligible',
      'wrong-delegation:ineligible',
      'tiny:ineligible',
    ]);
  });

  it('reports NSG findings after the subnet\'s own and before the permission findings', () => {
    const report = evaluateEligibility(facts({ subnets: [subnet('s', { networkSecurityGroupId: null, delegations: ['Microsoft.Sql/managedInstances'] })], requester: access('requester') }));
    expect(report.subnets[0]?.findings.map((f) => f.code)).toEqual(['DELEGATION_WRONG', 'NSG_MISSING', 'REQUESTER_PERMISSION_MISSING']);
  });

  it('every finding code can be produced', () => {
    const seen = new Set<string>();
    const add = (r: EligibilityReport) => allCodes(r).forEach((c) => seen.add(c));
    add(evaluateEligibility(estate()));
    add(evaluateEligibility(facts({ instance: { skuName: 'Premium', virtualNetworkType: 'External' } })));
    add(evaluateEligibility(facts({ instance: { provisioningState: 'Updating' } })));
    add(evaluateEligibility(facts({ webProviderState: 'NotRegistered' })));
    add(evaluateEligibility(facts({ bot: access('bot'), requester: access('requester') })));
    add(evaluateEligibility(facts({ instance: { skuName: 'PremiumV2' }, subnets: [subnet('p', { addressPrefixes: ['10.0.1.0/27'] })] })));
    expect([...seen].sort()).toEqual(Object.values(FindingCode).sort());
  });

  it('every NSG dependency finding names its tag in details; the dependencies come from the settings', () => {
    const dependencyCodes = [FindingCode.NSG_BLOCKS_DEPENDENCY, FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT, FindingCode.NSG_BLOCKS_OPTIONAL_DEPENDENCY];
    const tags = (r: EligibilityReport, name: string) =>
      r.subnets.find((s) => s.name === name)?.findings.filter((f) => dependencyCodes.includes(f.code)).map((f) => `${f.code}:${f.details?.tag}`);
    const byDefault = evaluateEligibility(estate());
    expect(tags(byDefault, 'blocked')).toEqual(['NSG_BLOCKS_DEPENDENCY:AzureKeyVault', 'NSG_BLOCKS_OPTIONAL_DEPENDENCY:Storage']);
    expect(tags(byDefault, 'default-only')).toEqual(['NSG_DEPENDENCY_NOT_EXPLICIT:AzureKeyVault']);
    expect(tags(byDefault, 'storage-denied')).toEqual(['NSG_BLOCKS_OPTIONAL_DEPENDENCY:Storage']);
    for (const f of byDefault.subnets.flatMap((s) => s.findings)) if (dependencyCodes.includes(f.code)) expect(f.details?.tag).toMatch(/^(AzureKeyVault|Storage)$/);

    const both = evaluateEligibility(estate(), { ...DEFAULT_SETTINGS, dependencies: { required: ['AzureKeyVault', 'Storage'], optional: [] } });
    expect(tags(both, 'blocked')).toEqual(['NSG_BLOCKS_DEPENDENCY:AzureKeyVault', 'NSG_BLOCKS_DEPENDENCY:Storage']);
    expect(tags(both, 'default-only')).toEqual(['NSG_DEPENDENCY_NOT_EXPLICIT:AzureKeyVault', 'NSG_DEPENDENCY_NOT_EXPLICIT:Storage']);
    expect(tags(both, 'storage-denied')).toEqual(['NSG_BLOCKS_DEPENDENCY:Storage']);
    expect(both.subnets.find((s) => s.name === 'storage-denied')?.verdict).toBe('ineligible');

    const none = evaluateEligibility(estate(), { ...DEFAULT_SETTINGS, dependencies: { required: [], optional: [] } });
    for (const name of ['blocked', 'default-only', 'storage-denied']) {
      expect(tags(none, name), name).toEqual([]);
      expect(none.subnets.find((s) => s.name === name)?.verdict, name).toBe('eligible');
    }
  });

  it('every finding has a non-empty message, and a fix unless info', () => {
    const report = evaluateEligibility(estate());
    for (const f of [...report.findings, ...report.subnets.flatMap((s) => s.findings)]) {
      expect(f.message.length).toBeGreaterThan(10);
      expect(f.message[0]).toBe(f.message[0]?.toUpperCase());
      if (f.severity === 'info') expect(f.fix).toBeNull();
      else expect(f.fix).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('copies subnet identity and prefixes into the report', () => {
    const s = evaluateEligibility(facts({ subnets: [subnet('x', { addressPrefixes: ['fd00::/64', '10.0.1.0/25'] })] })).subnets[0];
    expect(s).toMatchObject({
      id: subnetId('x'),
      name: 'x',
      vnetName: 'hub-vnet',
      addressPrefix: '10.0.1.0/25',
      addressPrefixes: ['fd00::/64', '10.0.1.0/25'],
      prefixLength: 25,
    });
  });

  it('uses DEFAULT_SETTINGS by default', () => {
    const f = facts({ subnets: [subnet('x', { addressPrefixes: ['10.0.1.0/27'] })] });
    expect(evaluateEligibility(f)).toEqual(evaluateEligibility(f, DEFAULT_SETTINGS));
  });

  it('does not mutate the facts', () => {
    const f = estate();
    const before = JSON.stringify({ ...f, networkSecurityGroups: [...f.networkSecurityGroups] });
    evaluateEligibility(f);
    expect(JSON.stringify({ ...f, networkSecurityGroups: [...f.networkSecurityGroups] })).toBe(before);
  });

  it('handles no candidates', () => {
    const report = evaluateEligibility(facts({ subnets: [] }));
    expect(report.subnets).toEqual([]);
    expect(report.findings).toEqual([]);
  });

  it('orders instance findings by severity', () => {
    const report = evaluateEligibility(
      facts({
        instance: { virtualNetworkType: 'External', subnetResourceId: subnetId('apim-out'), provisioningState: 'Updating' },
        webProviderState: 'NotRegistered',
        bot: access('bot', grant(`/subscriptions/${SUB}`, ['*'], ['Microsoft.ApiManagement/service/write'])),
      }),
    );
    expect(report.findings.map((f) => `${f.code}:${f.severity}`)).toEqual([
      'INSTANCE_BUSY:blocking',
      'BOT_CANNOT_WRITE_INSTANCE:blocking',
      'PROVIDER_NOT_REGISTERED:fixable',
      'ALREADY_INTEGRATED:info',
    ]);
  });
});

describe('index', () => {
  it('exports the public surface', () => {
    for (const name of ['evaluateEligibility', 'hasAction', 'allowedActions', 'missingActions', 'DEFAULT_SETTINGS', 'FindingCode']) {
      expect(eligibility).toHaveProperty(name);
    }
  });
});
