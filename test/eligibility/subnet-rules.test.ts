import { describe, expect, it } from 'vitest';
import { FindingCode } from '../../src/eligibility/codes.js';
import { evaluateEligibility } from '../../src/eligibility/evaluate.js';
import { DEFAULT_SETTINGS, type EligibilitySettings, type SubnetFacts } from '../../src/eligibility/facts.js';
import { isSubnetEmpty, judgeSize } from '../../src/eligibility/subnet-rules.js';
import { access, facts, findingOf, grant, INSTANCE_ID, OTHER_INSTANCE_ID, OTHER_SUB, RG_NET, SUB, subnet, subnetId, subnetReport, summary } from './facts-builder.js';

function check(s: SubnetFacts, settings: EligibilitySettings = DEFAULT_SETTINGS) {
  return subnetReport(evaluateEligibility(facts({ subnets: [s] }), settings));
}

describe('REGION_MISMATCH', () => {
  it.each(['westeurope', 'West Europe', 'WestEurope', 'WEST EUROPE', ' westeurope '])('%j matches westeurope', (vnetLocation) => {
    expect(check(subnet('s', { vnetLocation })).findings).toEqual([]);
  });
  it('instance spelled "West Europe" matches a VNet in westeurope', () => {
    const report = evaluateEligibility(facts({ instance: { location: 'West Europe' } }));
    expect(subnetReport(report).verdict).toBe('eligible');
  });
  it.each(['northeurope', 'West US', 'westeurope2', ''])('%j does not match', (vnetLocation) => {
    const s = check(subnet('s', { vnetLocation }));
    expect(summary(s.findings)).toEqual(['REGION_MISMATCH:blocking']);
    expect(s.findings[0]?.message).toContain("VNet 'hub-vnet'");
    expect(s.findings[0]?.message).toContain('westeurope');
    expect(s.verdict).toBe('ineligible');
  });
});

describe('SUBSCRIPTION_MISMATCH', () => {
  it('another subscription is blocking', () => {
    const s = check(subnet('s', { subscriptionId: OTHER_SUB }));
    // the builder's principals hold their rights in the instance's subscription only
    expect(summary(s.findings)).toEqual([
      'SUBSCRIPTION_MISMATCH:blocking',
      'REQUESTER_PERMISSION_MISSING:blocking',
      'BOT_PERMISSION_MISSING:blocking',
    ]);
    const f = findingOf(s.findings, FindingCode.SUBSCRIPTION_MISMATCH);
    expect(f.message).toContain(OTHER_SUB);
    expect(f.message).toContain("Subnet 's' in VNet 'hub-vnet'");
    expect(f.fix).toContain(SUB);
  });
  it('compares subscription ids case-insensitively', () => {
    expect(check(subnet('s', { subscriptionId: SUB.toUpperCase() })).findings).toEqual([]);
  });
  it('falls back to the subnet id when the field is empty', () => {
    expect(check(subnet('s', { subscriptionId: '' })).findings).toEqual([]);
  });
});

describe('size', () => {
  const cases: Array<[string, string[], string[], string | null, number | null]> = [
    ['/16', ['10.0.0.0/16'], [], '10.0.0.0/16', 16],
    ['/24', ['10.0.1.0/24'], [], '10.0.1.0/24', 24],
    ['/25', ['10.0.1.0/25'], ['SUBNET_BELOW_RECOMMENDED:warning'], '10.0.1.0/25', 25],
    ['/26', ['10.0.1.0/26'], ['SUBNET_BELOW_RECOMMENDED:warning'], '10.0.1.0/26', 26],
    ['/27', ['10.0.1.0/27'], ['SUBNET_BELOW_RECOMMENDED:warning'], '10.0.1.0/27', 27],
    ['/28', ['10.0.1.0/28'], ['SUBNET_TOO_SMALL:blocking'], '10.0.1.0/28', 28],
    ['/29', ['10.0.1.0/29'], ['SUBNET_TOO_SMALL:blocking'], '10.0.1.0/29', 29],
    ['largest IPv4 wins', ['10.0.1.0/28', '10.0.2.0/24', '10.0.3.0/26'], [], '10.0.2.0/24', 24],
    ['IPv6 ignored', ['10.0.1.0/27', 'fd00:1::/64'], ['SUBNET_BELOW_RECOMMENDED:warning'], '10.0.1.0/27', 27],
    ['IPv6 first, IPv4 second', ['fd00:1::/64', '10.0.1.0/28'], ['SUBNET_TOO_SMALL:blocking'], '10.0.1.0/28', 28],
    ['only IPv6', ['fd00:1::/64'], ['SUBNET_TOO_SMALL:blocking'], 'fd00:1::/64', null],
    ['no prefix at all', [], ['SUBNET_TOO_SMALL:blocking'], null, null],
  ];
  it.each(cases)('%s', (_label, addressPrefixes, expected, judged, length) => {
    const s = check(subnet('s', { addressPrefixes }));
    expect(summary(s.findings)).toEqual(expected);
    expect(s.addressPrefix).toBe(judged);
    expect(s.prefixLength).toBe(length);
    expect(s.addressPrefixes).toEqual(addressPrefixes);
  });

  it('names the prefix and the sizes', () => {
    const f = findingOf(check(subnet('s', { addressPrefixes: ['10.0.1.0/28'] })).findings, FindingCode.SUBNET_TOO_SMALL);
    expect(f.message).toContain("Subnet 's' in VNet 'hub-vnet'");
    expect(f.message).toContain('10.0.1.0/28');
    expect(f.message).toContain('/27');
    expect(f.message).toContain('16 addresses');
  });

  it('says IPv4 when there is none', () => {
    const f = findingOf(check(subnet('s', { addressPrefixes: ['fd00:1::/64'] })).findings, FindingCode.SUBNET_TOO_SMALL);
    expect(f.message).toContain('IPv4');
  });

  const older: EligibilitySettings = { ...DEFAULT_SETTINGS, minSubnetPrefix: 26, recommendedSubnetPrefix: 26 };
  it.each([
    ['10.0.1.0/26', []],
    ['10.0.1.0/27', ['SUBNET_TOO_SMALL:blocking']],
    ['10.0.1.0/25', []],
  ])('with min /26 and recommended /26: %s', (prefix, expected) => {
    expect(summary(check(subnet('s', { addressPrefixes: [prefix] }), older).findings)).toEqual(expected);
  });

  const strict: EligibilitySettings = { ...DEFAULT_SETTINGS, minSubnetPrefix: 25, recommendedSubnetPrefix: 23 };
  it.each([
    ['10.0.0.0/23', []],
    ['10.0.1.0/24', ['SUBNET_BELOW_RECOMMENDED:warning']],
    ['10.0.1.0/25', ['SUBNET_BELOW_RECOMMENDED:warning']],
    ['10.0.1.0/26', ['SUBNET_TOO_SMALL:blocking']],
  ])('with min /25 and recommended /23: %s', (prefix, expected) => {
    expect(summary(check(subnet('s', { addressPrefixes: [prefix] }), strict).findings)).toEqual(expected);
  });

  it('judgeSize directly', () => {
    expect(judgeSize(['fd00::/64', '10.0.0.0/26'])).toEqual({ addressPrefix: '10.0.0.0/26', prefixLength: 26 });
    expect(judgeSize(['bogus'])).toEqual({ addressPrefix: 'bogus', prefixLength: null });
  });
});

describe('usage', () => {
  const apimLink = (link: string | null, linkedResourceType = 'Microsoft.ApiManagement/service') => ({ linkedResourceType, link });

  it('IP configurations make it in use, naming the NIC', () => {
    const s = check(
      subnet('s', {
        ipConfigurationIds: [`${RG_NET}/providers/Microsoft.Network/networkInterfaces/vm1-nic/ipConfigurations/ipconfig1`],
      }),
    );
    expect(summary(s.findings)).toEqual(['SUBNET_IN_USE:blocking']);
    expect(s.findings[0]?.message).toContain('vm1-nic');
    expect(s.findings[0]?.message).toContain('1 IP configuration');
  });

  it('private endpoints make it in use', () => {
    const s = check(subnet('s', { privateEndpointIds: [`${RG_NET}/providers/Microsoft.Network/privateEndpoints/pe-sql`] }));
    expect(summary(s.findings)).toEqual(['SUBNET_IN_USE:blocking']);
    expect(s.findings[0]?.message).toContain('pe-sql');
  });

  it('a service association link of another service makes it in use', () => {
    const s = check(subnet('s', { serviceAssociationLinks: [apimLink('/x/serverfarms/plan', 'Microsoft.Web/serverFarms')] }));
    expect(summary(s.findings)).toEqual(['SUBNET_IN_USE:blocking']);
    expect(s.findings[0]?.message).toContain('Microsoft.Web/serverFarms');
  });

  it('a resource navigation link of another service makes it in use', () => {
    const s = check(subnet('s', { resourceNavigationLinks: [apimLink(null, 'Microsoft.Sql/managedInstances')] }));
    expect(summary(s.findings)).toEqual(['SUBNET_IN_USE:blocking']);
  });

  it.each(['Microsoft.ApiManagement/service', 'microsoft.apimanagement/SERVICE'])('another API Management instance (%s)', (type) => {
    const s = check(subnet('s', { serviceAssociationLinks: [apimLink(OTHER_INSTANCE_ID, type)] }));
    expect(summary(s.findings)).toEqual(['SUBNET_USED_BY_OTHER_APIM:blocking']);
    expect(s.findings[0]?.message).toContain("'apim-other'");
  });

  it('an API Management resource navigation link of another instance', () => {
    const s = check(subnet('s', { resourceNavigationLinks: [apimLink(OTHER_INSTANCE_ID)] }));
    expect(summary(s.findings)).toEqual(['SUBNET_USED_BY_OTHER_APIM:blocking']);
  });

  it('an API Management link without a link id on a subnet that is not ours counts as another instance', () => {
    const s = check(subnet('s', { serviceAssociationLinks: [apimLink(null)] }));
    expect(summary(s.findings)).toEqual(['SUBNET_USED_BY_OTHER_APIM:blocking']);
    expect(s.findings[0]?.message).toContain('another API Management instance');
  });

  it("this instance's own link is not a problem (any casing)", () => {
    const s = check(subnet('s', { serviceAssociationLinks: [apimLink(INSTANCE_ID.toLowerCase())] }));
    expect(s.findings).toEqual([]);
    expect(s.verdict).toBe('eligible');
  });

  describe("the instance's own subnet, known by virtualNetworkConfiguration.subnetResourceId", () => {
    const own = subnetId('apim-out');
    const integrated = { virtualNetworkType: 'External', subnetResourceId: own };
    const judge = (links: { linkedResourceType: string; link: string | null }[], instanceOverrides: Record<string, unknown> = integrated, where = 'apim-out') =>
      subnetReport(evaluateEligibility(facts({ instance: instanceOverrides, subnets: [subnet(where, { serviceAssociationLinks: links })] })));

    it.each([
      ['Microsoft.ApiManagement/service naming it', apimLink(INSTANCE_ID)],
      ['Microsoft.ApiManagement/service without a link id', apimLink(null)],
      ['Microsoft.Web/serverFarms naming a hidden plan', apimLink(`${RG_NET}/providers/Microsoft.Web/serverFarms/hidden-plan`, 'Microsoft.Web/serverFarms')],
      ['Microsoft.Web/serverFarms naming the instance', apimLink(INSTANCE_ID, 'microsoft.web/serverfarms')],
      ['Microsoft.Web/serverFarms without a link id', apimLink(null, 'Microsoft.Web/serverFarms')],
    ])('a %s link is its own: never SUBNET_IN_USE', (_label, link) => {
      const s = judge([link]);
      expect(summary(s.findings)).toEqual(['ALREADY_INTEGRATED:info']);
      expect(s.verdict).toBe('eligible');
    });

    it('is recognised by the id in any casing', () => {
      const s = judge([apimLink(null, 'Microsoft.Web/serverFarms')], { virtualNetworkType: 'External', subnetResourceId: own.toUpperCase() });
      expect(summary(s.findings)).toEqual(['ALREADY_INTEGRATED:info']);
    });

    it('a serverFarms link on any other subnet is an App Service plan: SUBNET_IN_USE', () => {
      const s = judge([apimLink(`${RG_NET}/providers/Microsoft.Web/serverFarms/plan`, 'Microsoft.Web/serverFarms')], integrated, 'other');
      expect(summary(s.findings)).toEqual(['SUBNET_IN_USE:blocking']);
    });

    it('another service on its own subnet is still SUBNET_IN_USE', () => {
      const s = judge([apimLink(INSTANCE_ID), apimLink('/x/managedInstances/sql', 'Microsoft.Sql/managedInstances')]);
      expect(summary(s.findings)).toEqual(['SUBNET_IN_USE:blocking', 'ALREADY_INTEGRATED:info']);
      expect(s.findings[0]?.message).toContain('Microsoft.Sql/managedInstances');
      expect(s.findings[0]?.message).not.toContain('serverFarms');
    });

    it('another API Management instance named on its own subnet is still SUBNET_USED_BY_OTHER_APIM', () => {
      const s = judge([apimLink(null, 'Microsoft.Web/serverFarms'), apimLink(OTHER_INSTANCE_ID)]);
      expect(summary(s.findings)).toEqual(['SUBNET_USED_BY_OTHER_APIM:blocking', 'ALREADY_INTEGRATED:info']);
    });

    it('the subnet an instance names is its own even when it is not integrated there (Premium v2 injection)', () => {
      const s = judge([apimLink(null, 'Microsoft.Web/serverFarms')], { skuName: 'PremiumV2', virtualNetworkType: 'Internal', subnetResourceId: own });
      expect(s.findings.map((f) => f.code)).not.toContain(FindingCode.SUBNET_IN_USE);
    });
  });

  it('reports both kinds of use together', () => {
    const s = check(
      subnet('s', {
        privateEndpointIds: [`${RG_NET}/providers/Microsoft.Network/privateEndpoints/pe1`],
        serviceAssociationLinks: [apimLink(OTHER_INSTANCE_ID)],
      }),
    );
    expect(summary(s.findings)).toEqual(['SUBNET_IN_USE:blocking', 'SUBNET_USED_BY_OTHER_APIM:blocking']);
  });

  it('isSubnetEmpty', () => {
    expect(isSubnetEmpty(subnet('s'))).toBe(true);
    expect(isSubnetEmpty(subnet('s', { serviceAssociationLinks: [apimLink(INSTANCE_ID)] }))).toBe(false);
    expect(isSubnetEmpty(subnet('s', { resourceNavigationLinks: [apimLink(INSTANCE_ID)] }))).toBe(false);
    expect(isSubnetEmpty(subnet('s', { ipConfigurationIds: ['x'] }))).toBe(false);
    expect(isSubnetEmpty(subnet('s', { privateEndpointIds: ['x'] }))).toBe(false);
  });
});

describe('delegation', () => {
  it.each(['Microsoft.Web/serverFarms', 'microsoft.web/serverfarms'])('%s is right', (d) => {
    expect(check(subnet('s', { delegations: [d] })).findings).toEqual([]);
  });

  it('hostingEnvironments is wrong and said to be for Premium v2 injection', () => {
    const s = check(subnet('s', { delegations: ['Microsoft.Web/hostingEnvironments'] }));
    expect(summary(s.findings)).toEqual(['DELEGATION_WRONG:blocking']);
    expect(s.findings[0]?.message).toMatch(/Premium v2 VNet injection/);
    expect(s.findings[0]?.message).toContain('Microsoft.Web/serverFarms');
  });

  it.each(['Microsoft.ApiManagement/service', 'Microsoft.Sql/managedInstances'])('%s is wrong', (d) => {
    const s = check(subnet('s', { delegations: [d] }));
    expect(summary(s.findings)).toEqual(['DELEGATION_WRONG:blocking']);
    expect(s.findings[0]?.message).toContain(d);
  });

  it('serverFarms plus another delegation is wrong', () => {
    const s = check(subnet('s', { delegations: ['Microsoft.Web/serverFarms', 'Microsoft.Web/hostingEnvironments'] }));
    expect(summary(s.findings)).toEqual(['DELEGATION_WRONG:blocking']);
  });

  it('missing on an empty subnet is fixable by the bot', () => {
    const s = check(subnet('s', { delegations: [] }));
    expect(summary(s.findings)).toEqual(['DELEGATION_MISSING:fixable']);
    expect(s.verdict).toBe('fixable');
    expect(s.fixes).toEqual([{ kind: 'addDelegation', subnetId: subnet('s').id, serviceName: 'Microsoft.Web/serverFarms' }]);
  });

  it('missing on a non-empty subnet is blocking', () => {
    const s = check(
      subnet('s', { delegations: [], privateEndpointIds: [`${RG_NET}/providers/Microsoft.Network/privateEndpoints/pe1`] }),
    );
    expect(summary(s.findings)).toEqual(['SUBNET_IN_USE:blocking', 'DELEGATION_MISSING:blocking']);
    expect(findingOf(s.findings, FindingCode.DELEGATION_MISSING).message).toMatch(/in use/);
    expect(s.fixes).toEqual([]);
  });

  it("missing on a subnet with only this instance's link is blocking (not empty)", () => {
    const s = check(
      subnet('s', { delegations: [], serviceAssociationLinks: [{ linkedResourceType: 'Microsoft.ApiManagement/service', link: INSTANCE_ID }] }),
    );
    expect(summary(s.findings)).toEqual(['DELEGATION_MISSING:blocking']);
  });

  it('missing on an empty subnet without subnets/write keeps its code, blocking, and names the missing right', () => {
    const bot = access(
      'bot',
      grant(`/subscriptions/${SUB}`, ['Microsoft.ApiManagement/*', 'Microsoft.Network/*'], ['Microsoft.Network/virtualNetworks/subnets/write']),
    );
    const s = subnetReport(evaluateEligibility(facts({ bot, subnets: [subnet('s', { delegations: [] })] })));
    expect(summary(s.findings)).toEqual(['DELEGATION_MISSING:blocking']);
    expect(s.findings[0]?.message).toMatch(/not delegated/);
    expect(s.findings[0]?.message).toContain('the bot may not add the delegation: it lacks Microsoft.Network/virtualNetworks/subnets/write');
    expect(s.findings[0]?.fix).toContain('Microsoft.Network/virtualNetworks/subnets/write');
    expect(s.findings[0]?.fix).toMatch(/Delegate the subnet to Microsoft.Web\/serverFarms yourself/);
    expect(s.findings[0]?.fix).toMatch(/Network Contributor/);
    expect(s.fixes).toEqual([]);
    expect(s.verdict).toBe('ineligible');
  });

  it('the bot needs no subnets/write when the subnet is already delegated', () => {
    const bot = access(
      'bot',
      grant(`/subscriptions/${SUB}`, ['Microsoft.ApiManagement/*', 'Microsoft.Network/*'], ['Microsoft.Network/virtualNetworks/subnets/write']),
    );
    expect(subnetReport(evaluateEligibility(facts({ bot }))).verdict).toBe('eligible');
  });
});
