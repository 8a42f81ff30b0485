import { describe, expect, it } from 'vitest';
import { CARD_BUDGET_BYTES, choiceTitle, MAX_CHOICES, optionsCard, selectOptions } from '../../src/bot/cards/options-card.js';
import { cardBytes } from '../../src/bot/cards/template.js';
import { FindingCode } from '../../src/eligibility/codes.js';
import type { EligibilityReport, Finding, SubnetReport, Verdict } from '../../src/eligibility/report.js';
import { ALICE, BotHarness, cardOf, choicesOf, estate, groupChat, TENANT, textOf, user } from '../support/index.js';

const SUB = '5b6f0c55-0000-4000-8000-000000000001';

function subnet(i: number, verdict: Verdict): SubnetReport {
  const vnet = `vnet-with-a-rather-long-name-${Math.floor(i / 100)}`;
  const vnetId = `/subscriptions/${SUB}/resourceGroups/rg-network-with-long-name/providers/Microsoft.Network/virtualNetworks/${vnet}`;
  const findings: Finding[] =
    verdict === 'ineligible'
      ? [
          { code: FindingCode.SUBNET_TOO_SMALL, severity: 'blocking', message: `Subnet 'snet-${i}' in VNet '${vnet}' is 10.0.0.0/28 (/28, 16 addresses); integration needs at least /27 (32 addresses).`, fix: 'Pick or create a subnet of /24 (recommended) or at least /27.' },
          { code: FindingCode.NSG_MISSING, severity: 'blocking', message: 'No NSG is associated with the subnet; integration needs one.', fix: 'Associate an NSG.' },
        ]
      : verdict === 'fixable'
        ? [{ code: FindingCode.DELEGATION_MISSING, severity: 'fixable', message: 'Not delegated yet.', fix: 'The bot delegates it.' }]
        : [{ code: FindingCode.SUBNET_BELOW_RECOMMENDED, severity: 'warning', message: 'Smaller than recommended.', fix: 'Prefer a /24.' }];
  return {
    id: `${vnetId}/subnets/snet-${i}`,
    name: `snet-${i}`,
    vnetId,
    vnetName: vnet,
    addressPrefix: '10.0.0.0/26',
    addressPrefixes: ['10.0.0.0/26'],
    prefixLength: 26,
    verdict,
    findings: findings.slice(0, i % 7 === 0 ? 1 : 2),
    optionalFixes: [],
    fixes: verdict === 'fixable' ? [{ kind: 'addDelegation', subnetId: `${vnetId}/subnets/snet-${i}`, serviceName: 'Microsoft.Web/serverFarms' }] : [],
  };
}

function report(count: number): EligibilityReport {
  const subnets = Array.from({ length: count }, (_, i) => subnet(i, i % 10 === 0 ? 'eligible' : i % 10 === 1 ? 'fixable' : 'ineligible'));
  const order = { eligible: 0, fixable: 1, ineligible: 2 };
  subnets.sort((a, b) => order[a.verdict] - order[b.verdict]);
  return {
    instance: {
      id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ApiManagement/service/contoso-apim`,
      name: 'contoso-apim',
      subscriptionId: SUB,
      resourceGroup: 'rg',
      location: 'West Europe',
      skuName: 'StandardV2',
      virtualNetworkType: 'None',
      subnetResourceId: null,
      provisioningState: 'Succeeded',
    },
    findings: [],
    subnets,
    requesterChecked: true,
  };
}

describe('the options card', () => {
  it('stays under 40 KB for 20,000 subnets: 25 choices, the closest few unusable, counts for the rest', () => {
    const r = report(20_000);
    const selection = selectOptions(r.subnets);
    expect(selection.choices).toHaveLength(MAX_CHOICES);
    expect(selection.moreUsable).toBe(4_000 - MAX_CHOICES);
    expect(selection.ineligibleShown).toHaveLength(5);
    expect(selection.ineligibleShown.every((s) => s.findings.filter((f) => f.severity === 'blocking').length === 1)).toBe(true);
    expect(selection.ineligibleMore).toBe(16_000 - 5);
    const card = optionsCard({ checkId: 'c', report: r, selection, hiddenCount: 1234, identityUnknown: false, vnetFilter: null, recommendedPrefix: 24, dependencyTags: ['AzureKeyVault'], checkedAt: new Date() });
    expect(cardBytes(card)).toBeLessThan(CARD_BUDGET_BYTES);
    const text = textOf(card);
    expect(text).toContain('…and 3975 more usable subnets. Narrow the list: check contoso-apim in <vnet>.');
    expect(text).toContain('…and 15995 more subnets that cannot be used.');
    expect(text).toContain('1234 subnets are not shown');
    expect(choicesOf(card, 'subnetId')).toHaveLength(25);
  });

  it('says what to change when nothing is usable', () => {
    const r = report(30);
    r.subnets = r.subnets.filter((s) => s.verdict === 'ineligible');
    const card = optionsCard({ checkId: 'c', report: r, selection: selectOptions(r.subnets), hiddenCount: 0, identityUnknown: false, vnetFilter: null, recommendedPrefix: 24, dependencyTags: ['AzureKeyVault'], checkedAt: new Date() });
    const text = textOf(card);
    expect(text).toContain('What to change');
    expect(text).toMatch(/Use or create a subnet of \/24 in a VNet in West Europe/);
    expect(card.actions).toEqual([]);
  });

  it('names what the bot will fix in each choice', () => {
    const fixable = subnet(1, 'fixable');
    expect(choiceTitle(fixable)).toBe('vnet-with-a-rather-long-name-0/snet-1 · 10.0.0.0/26 · bot adds the delegation');
    expect(choiceTitle(subnet(0, 'eligible'))).toBe('vnet-with-a-rather-long-name-0/snet-0 · 10.0.0.0/26 · ready · smaller than recommended');
  });

  it('says the new warnings in a few words', () => {
    const warned = {
      ...subnet(0, 'eligible'),
      findings: [
        { code: FindingCode.ROUTE_FORCED_TUNNELING, severity: 'warning', message: 'm', fix: 'f' },
        { code: FindingCode.SUBNET_BELOW_MAX_SCALE, severity: 'warning', message: 'm', fix: 'f' },
        { code: FindingCode.ROUTE_TABLE_NOT_READ, severity: 'warning', message: 'm', fix: 'f' },
        { code: FindingCode.NAT_GATEWAY_ATTACHED, severity: 'info', message: 'm', fix: null },
      ] as Finding[],
    };
    expect(choiceTitle(warned)).toBe(
      'vnet-with-a-rather-long-name-0/snet-0 · 10.0.0.0/26 · ready · forced tunnel: the firewall must allow the dependencies · too small for the maximum scale · route table not checked · NAT gateway',
    );
  });

  it('marks each choice by its verdict, not by its wording: ✅ ready, ⚠️ with a warning, 🔧 fixed first', () => {
    const ready = { ...subnet(0, 'eligible'), findings: [] };
    const r = { ...report(0), subnets: [ready, subnet(10, 'eligible'), subnet(1, 'fixable')] };
    const card = optionsCard({ checkId: 'c', report: r, selection: selectOptions(r.subnets), hiddenCount: 0, identityUnknown: false, vnetFilter: null, recommendedPrefix: 24, dependencyTags: ['AzureKeyVault'], checkedAt: new Date() });
    expect(choicesOf(card, 'subnetId').map((c) => [...c.title][0])).toEqual(['✅', '⚠', '🔧']);
  });

  it('over HTTP, a 20,000-subnet estate gives one message under 40 KB', async () => {
    const h = await BotHarness.start({ seed: estate({ extraHubSubnets: 20_000 }), tenantId: TENANT, sandbox: { pageSize: 1000 } });
    try {
      const check = await h.say(user('Alice', ALICE), groupChat('big'), 'check contoso-apim');
      expect(check.status).toBe(200);
      const bytes = Buffer.byteLength(JSON.stringify(check.reply?.activity), 'utf8');
      expect(bytes).toBeLessThan(40_000);
      const card = cardOf(check.reply?.activity);
      expect(choicesOf(card, 'subnetId')).toHaveLength(25);
      expect(textOf(card)).toMatch(/more usable subnets/);
      console.log(`20,000 subnets: check answered in ${Math.round(check.ms)} ms, message ${bytes} bytes`);
    } finally {
      await h.close();
    }
  }, 120_000);
});
