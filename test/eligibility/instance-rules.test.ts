import { describe, expect, it } from 'vitest';
import { FindingCode } from '../../src/eligibility/codes.js';
import { evaluateEligibility } from '../../src/eligibility/evaluate.js';
import { DEFAULT_SETTINGS } from '../../src/eligibility/facts.js';
import { access, allAccess, facts, findingOf, grant, INSTANCE_ID, RG_APIM, SUB, subnet, subnetId, subnetReport, summary } from './facts-builder.js';

const ADVISORY = { ...DEFAULT_SETTINGS, requesterRbac: 'advisory' as const };

describe('baseline', () => {
  it('is eligible with no instance findings', () => {
    const report = evaluateEligibility(facts());
    expect(report.findings).toEqual([]);
    expect(report.requesterChecked).toBe(true);
    expect(subnetReport(report).verdict).toBe('eligible');
    expect(subnetReport(report).findings).toEqual([]);
    expect(subnetReport(report).fixes).toEqual([]);
  });
});

describe('SKU_NOT_SUPPORTED', () => {
  it.each(['StandardV2', 'PremiumV2', 'standardv2', 'PREMIUMV2'])('%s is supported', (skuName) => {
    expect(evaluateEligibility(facts({ instance: { skuName } })).findings).toEqual([]);
  });

  it.each([
    ['BasicV2', 'Basic v2'],
    ['Consumption', 'Consumption'],
    ['Basic', 'Basic'],
    ['Standard', 'Standard'],
    ['Developer', 'Developer'],
    ['Premium', 'Premium'],
  ])('%s is not supported', (skuName, display) => {
    const report = evaluateEligibility(facts({ instance: { skuName } }));
    const f = findingOf(report.findings, FindingCode.SKU_NOT_SUPPORTED);
    expect(f.severity).toBe('blocking');
    expect(f.message).toContain(display);
    expect(f.message).toContain('Standard v2 and Premium v2');
    expect(f.fix).not.toBeNull();
    expect(subnetReport(report).verdict).toBe('ineligible');
    expect(summary(report.findings)).not.toContain('INJECTION_CONFIGURED:blocking');
  });

  it.each(['Developer', 'Premium'])('classic %s points at VNet injection', (skuName) => {
    const f = findingOf(evaluateEligibility(facts({ instance: { skuName } })).findings, FindingCode.SKU_NOT_SUPPORTED);
    expect(f.message).toMatch(/injection/i);
  });

  it('does not mention injection for Basic', () => {
    const f = findingOf(evaluateEligibility(facts({ instance: { skuName: 'Basic' } })).findings, FindingCode.SKU_NOT_SUPPORTED);
    expect(f.message).not.toMatch(/injection/i);
  });
});

describe('INJECTION_CONFIGURED and ALREADY_INTEGRATED', () => {
  const current = subnetId('apim-out');

  it.each(['External', 'Internal', 'external'])('classic Premium with %s is injected, never integrated', (virtualNetworkType) => {
    const report = evaluateEligibility(
      facts({ instance: { skuName: 'Premium', virtualNetworkType, subnetResourceId: current } }),
    );
    expect(summary(report.findings)).toEqual(['SKU_NOT_SUPPORTED:blocking', 'INJECTION_CONFIGURED:blocking']);
    expect(findingOf(report.findings, FindingCode.INJECTION_CONFIGURED).message).toContain("subnet 'apim-out' in VNet 'hub-vnet'");
    const own = subnetReport(report);
    expect(own.verdict).toBe('ineligible');
    expect(summary(own.findings)).not.toContain('ALREADY_INTEGRATED:info');
  });

  it('classic Developer with None is only unsupported', () => {
    const report = evaluateEligibility(facts({ instance: { skuName: 'Developer', virtualNetworkType: 'None' } }));
    expect(summary(report.findings)).toEqual(['SKU_NOT_SUPPORTED:blocking']);
  });

  it('Premium v2 Internal is injection', () => {
    const report = evaluateEligibility(
      facts({ instance: { skuName: 'PremiumV2', virtualNetworkType: 'Internal', subnetResourceId: current } }),
    );
    expect(summary(report.findings)).toEqual(['INJECTION_CONFIGURED:blocking']);
    const f = findingOf(report.findings, FindingCode.INJECTION_CONFIGURED);
    expect(f.message).toMatch(/cannot be switched/);
    expect(f.fix).toMatch(/new/i);
    expect(subnetReport(report).verdict).toBe('ineligible');
  });

  it('Premium v2 External on a subnet delegated to hostingEnvironments is injection', () => {
    const injected = subnet('apim-out', { delegations: ['Microsoft.Web/hostingEnvironments'] });
    const report = evaluateEligibility(
      facts({
        instance: { skuName: 'PremiumV2', virtualNetworkType: 'External', subnetResourceId: current },
        subnets: [injected, subnet('spare')],
      }),
    );
    expect(summary(report.findings)).toEqual(['INJECTION_CONFIGURED:blocking']);
    expect(report.subnets.every((s) => s.verdict === 'ineligible')).toBe(true);
  });

  it('Premium v2 External whose subnet is not among the facts is integrated', () => {
    const report = evaluateEligibility(
      facts({
        instance: { skuName: 'PremiumV2', virtualNetworkType: 'External', subnetResourceId: subnetId('elsewhere') },
      }),
    );
    expect(summary(report.findings)).toEqual(['ALREADY_INTEGRATED:info']);
  });

  it('Standard v2 External + subnet is already integrated and names the subnet', () => {
    const link = { linkedResourceType: 'Microsoft.ApiManagement/service', link: INSTANCE_ID };
    const report = evaluateEligibility(
      facts({
        instance: { virtualNetworkType: 'External', subnetResourceId: current.toUpperCase() },
        subnets: [subnet('apim-out', { serviceAssociationLinks: [link] }), subnet('spare')],
      }),
    );
    expect(summary(report.findings)).toEqual(['ALREADY_INTEGRATED:info']);
    expect(report.findings[0]?.message).toMatch(/already integrated/);
    expect(report.findings[0]?.message.toLowerCase()).toContain("subnet 'apim-out'");
    const own = subnetReport(report, 'apim-out');
    expect(own.verdict).toBe('eligible');
    expect(summary(own.findings)).toEqual(['ALREADY_INTEGRATED:info']);
    expect(own.findings[0]?.message).toMatch(/current integration subnet/);
    expect(summary(subnetReport(report, 'spare').findings)).toEqual([]);
  });

  it('External without a subnet is not reported', () => {
    expect(evaluateEligibility(facts({ instance: { virtualNetworkType: 'External' } })).findings).toEqual([]);
  });
});

describe('INSTANCE_BUSY', () => {
  it.each(['Updating', 'Creating', 'Failed', ''])('%j is busy', (provisioningState) => {
    const report = evaluateEligibility(facts({ instance: { provisioningState } }));
    const f = findingOf(report.findings, FindingCode.INSTANCE_BUSY);
    expect(f.severity).toBe('blocking');
    expect(f.message).toContain(provisioningState || 'unknown');
    expect(f.fix).toMatch(/wait/i);
    expect(subnetReport(report).verdict).toBe('ineligible');
  });
  it('succeeded in any casing is fine', () => {
    expect(evaluateEligibility(facts({ instance: { provisioningState: 'succeeded' } })).findings).toEqual([]);
  });
});

describe('PROVIDER_NOT_REGISTERED', () => {
  const registerRight = (scope = `/subscriptions/${SUB}`) =>
    access('bot', grant(`/subscriptions/${SUB}`, ['Microsoft.Network/*', 'Microsoft.ApiManagement/*']), grant(scope, ['Microsoft.Web/register/action']));

  it.each(['NotRegistered', 'Unregistered', ''])('%j with the right to register is fixable', (webProviderState) => {
    const report = evaluateEligibility(facts({ webProviderState, bot: registerRight() }));
    expect(summary(report.findings)).toEqual(['PROVIDER_NOT_REGISTERED:fixable']);
    const s = subnetReport(report);
    expect(s.verdict).toBe('fixable');
    expect(s.findings).toEqual([]);
    expect(s.fixes).toEqual([{ kind: 'registerProvider', namespace: 'Microsoft.Web', subscriptionId: SUB }]);
  });

  it('Registering says registration is in progress', () => {
    const report = evaluateEligibility(facts({ webProviderState: 'Registering', bot: registerRight() }));
    const f = findingOf(report.findings, FindingCode.PROVIDER_NOT_REGISTERED);
    expect(f.severity).toBe('fixable');
    expect(f.message).toMatch(/in progress/);
  });

  it('Registered in any casing is fine', () => {
    expect(evaluateEligibility(facts({ webProviderState: 'registered' })).findings).toEqual([]);
  });

  it('without the right it keeps its code, blocking, and names the missing right', () => {
    const bot = access('bot', grant(`/subscriptions/${SUB}`, ['Microsoft.Network/*', 'Microsoft.ApiManagement/*']));
    const report = evaluateEligibility(facts({ webProviderState: 'NotRegistered', bot }));
    expect(summary(report.findings)).toEqual(['PROVIDER_NOT_REGISTERED:blocking']);
    const f = report.findings[0];
    expect(f?.message).toMatch(/not registered/);
    expect(f?.message).toContain('the bot may not register it: it lacks Microsoft.Web/register/action on the subscription');
    expect(f?.fix).toContain('az provider register -n Microsoft.Web');
    expect(f?.fix).toContain('grant the bot Microsoft.Web/register/action');
    expect(subnetReport(report).verdict).toBe('ineligible');
    expect(subnetReport(report).fixes).toEqual([]);
  });

  it('a register right below subscription scope does not count', () => {
    const report = evaluateEligibility(facts({ webProviderState: 'NotRegistered', bot: registerRight(RG_APIM) }));
    expect(summary(report.findings)).toEqual(['PROVIDER_NOT_REGISTERED:blocking']);
  });

  it('a register right in another subscription does not count', () => {
    const report = evaluateEligibility(
      facts({ webProviderState: 'NotRegistered', bot: registerRight('/subscriptions/22222222-2222-2222-2222-222222222222') }),
    );
    expect(summary(report.findings)).toEqual(['PROVIDER_NOT_REGISTERED:blocking']);
  });

  it('Registering without the right says so and tells to wait', () => {
    const bot = access('bot', grant(`/subscriptions/${SUB}`, ['Microsoft.Network/*', 'Microsoft.ApiManagement/*']));
    const f = evaluateEligibility(facts({ webProviderState: 'Registering', bot })).findings[0];
    expect(f?.code).toBe(FindingCode.PROVIDER_NOT_REGISTERED);
    expect(f?.severity).toBe('blocking');
    expect(f?.message).toMatch(/in progress/);
    expect(f?.fix).toMatch(/wait/i);
  });
});

describe('instance write permission', () => {
  it('BOT_CANNOT_WRITE_INSTANCE when the bot lacks service/write', () => {
    const bot = access('bot', grant(`/subscriptions/${SUB}`, ['Microsoft.Network/*', 'Microsoft.ApiManagement/service/read']));
    const report = evaluateEligibility(facts({ bot }));
    expect(summary(report.findings)).toEqual(['BOT_CANNOT_WRITE_INSTANCE:blocking']);
    expect(report.findings[0]?.message).toContain('apim-prod');
    expect(subnetReport(report).verdict).toBe('ineligible');
  });

  it('the bot may hold it on the instance itself', () => {
    const bot = access('bot', grant(`/subscriptions/${SUB}`, ['Microsoft.Network/*']), grant(INSTANCE_ID, ['Microsoft.ApiManagement/service/write']));
    expect(evaluateEligibility(facts({ bot })).findings).toEqual([]);
  });

  it('a grant on another instance does not count', () => {
    const bot = access(
      'bot',
      grant(`/subscriptions/${SUB}`, ['Microsoft.Network/*']),
      grant(`${RG_APIM}/providers/Microsoft.ApiManagement/service/apim-prod2`, ['*']),
    );
    expect(summary(evaluateEligibility(facts({ bot })).findings)).toEqual(['BOT_CANNOT_WRITE_INSTANCE:blocking']);
  });

  const reader = access('requester', grant(`/subscriptions/${SUB}`, ['*/read', 'Microsoft.Network/*']));

  it('REQUESTER_CANNOT_WRITE_INSTANCE blocks under enforce', () => {
    const report = evaluateEligibility(facts({ requester: reader }));
    expect(summary(report.findings)).toEqual(['REQUESTER_CANNOT_WRITE_INSTANCE:blocking']);
    expect(subnetReport(report).verdict).toBe('ineligible');
  });

  it('REQUESTER_CANNOT_WRITE_INSTANCE warns under advisory', () => {
    const report = evaluateEligibility(facts({ requester: reader }), ADVISORY);
    expect(summary(report.findings)).toEqual(['REQUESTER_CANNOT_WRITE_INSTANCE:warning']);
    expect(report.findings[0]?.fix).toMatch(/approver/);
    expect(subnetReport(report).verdict).toBe('eligible');
  });

  it('requester null skips requester checks', () => {
    const report = evaluateEligibility(facts({ requester: null }));
    expect(report.requesterChecked).toBe(false);
    expect(report.findings).toEqual([]);
    expect(subnetReport(report).verdict).toBe('eligible');
  });

  it('the requester with Owner at subscription is fine', () => {
    expect(evaluateEligibility(facts({ requester: allAccess('requester') })).findings).toEqual([]);
  });
});

describe('instance-level findings apply to every candidate', () => {
  const three = [subnet('a'), subnet('b', { addressPrefixes: ['10.0.2.0/28'] }), subnet('c', { delegations: [] })];

  it('a blocking instance finding makes all ineligible and keeps their own findings', () => {
    const report = evaluateEligibility(facts({ instance: { provisioningState: 'Updating' }, subnets: three }));
    expect(report.subnets.map((s) => s.verdict)).toEqual(['ineligible', 'ineligible', 'ineligible']);
    expect(summary(subnetReport(report, 'a').findings)).toEqual([]);
    expect(summary(subnetReport(report, 'b').findings)).toEqual(['SUBNET_TOO_SMALL:blocking']);
    expect(summary(subnetReport(report, 'c').findings)).toEqual(['DELEGATION_MISSING:fixable']);
    // instance-level findings are not copied into subnet findings
    expect(report.subnets.flatMap((s) => s.findings).some((f) => f.code === FindingCode.INSTANCE_BUSY)).toBe(false);
  });

  it('a fixable instance finding makes eligible subnets fixable, orders fixes, leaves blocked ones ineligible', () => {
    const report = evaluateEligibility(facts({ webProviderState: 'NotRegistered', subnets: three }));
    expect(subnetReport(report, 'a').verdict).toBe('fixable');
    expect(subnetReport(report, 'b').verdict).toBe('ineligible');
    const c = subnetReport(report, 'c');
    expect(c.verdict).toBe('fixable');
    expect(c.fixes.map((f) => f.kind)).toEqual(['registerProvider', 'addDelegation']);
    expect(subnetReport(report, 'a').fixes.map((f) => f.kind)).toEqual(['registerProvider']);
  });
});
