import { describe, expect, it } from 'vitest';
import { FindingCode } from '../../src/eligibility/codes.js';
import { evaluateEligibility } from '../../src/eligibility/evaluate.js';
import { DEFAULT_SETTINGS, type PrincipalAccess } from '../../src/eligibility/facts.js';
import { access, allAccess, facts, findingOf, grant, INSTANCE_ID, RG_APIM, RG_NET, SUB, subnet, subnetId, subnetReport, summary, vnetId } from './facts-builder.js';

const ADVISORY = { ...DEFAULT_SETTINGS, requesterRbac: 'advisory' as const };
const INSTANCE_WRITE = grant(INSTANCE_ID, ['Microsoft.ApiManagement/service/write']);
const JOIN = 'Microsoft.Network/virtualNetworks/subnets/join/action';

/** A requester that may write the instance, plus the given network grants. */
function requester(...grants: ReturnType<typeof grant>[]): PrincipalAccess {
  return access('requester', INSTANCE_WRITE, ...grants);
}
/** A bot that may write the instance and register providers, plus the given network grants. */
function bot(...grants: ReturnType<typeof grant>[]): PrincipalAccess {
  return access('bot', INSTANCE_WRITE, grant(`/subscriptions/${SUB}`, ['Microsoft.Web/register/action']), ...grants);
}

function requesterFindings(r: PrincipalAccess, settings = DEFAULT_SETTINGS) {
  return subnetReport(evaluateEligibility(facts({ requester: r }), settings));
}

describe('REQUESTER_PERMISSION_MISSING', () => {
  it.each<[string, PrincipalAccess]>([
    ['Network Contributor-like on the VNet', requester(grant(vnetId(), ['Microsoft.Network/*']))],
    ['* on the resource group', requester(grant(RG_NET, ['*']))],
    ['read + join at subscription', requester(grant(`/subscriptions/${SUB}`, ['*/read', JOIN]))],
    ['read at subscription, join on the subnet', requester(grant(`/subscriptions/${SUB}`, ['*/read']), grant(subnetId('apim-out'), [JOIN]))],
    ['wildcard inside the pattern', requester(grant(RG_NET, ['Microsoft.Network/virtualNetworks/*']))],
  ])('%s is enough', (_label, r) => {
    expect(requesterFindings(r).findings).toEqual([]);
  });

  it('lists exactly the missing actions', () => {
    const s = requesterFindings(requester(grant(RG_NET, ['*/read'])));
    expect(summary(s.findings)).toEqual(['REQUESTER_PERMISSION_MISSING:blocking']);
    const f = s.findings[0];
    expect(f?.message).toContain(JOIN);
    expect(f?.message).not.toContain('virtualNetworks/read');
    expect(f?.message).toContain("subnet 'apim-out' in VNet 'hub-vnet'");
    expect(s.verdict).toBe('ineligible');
  });

  it('lists all three with no network rights', () => {
    const f = requesterFindings(requester()).findings[0];
    expect(f?.message).toContain('Microsoft.Network/virtualNetworks/read');
    expect(f?.message).toContain('Microsoft.Network/virtualNetworks/subnets/read');
    expect(f?.message).toContain(JOIN);
  });

  it('a grant at a sibling scope does not apply', () => {
    expect(summary(requesterFindings(requester(grant(RG_APIM, ['*']))).findings)).toEqual(['REQUESTER_PERMISSION_MISSING:blocking']);
  });

  it('notActions subtract from the same role', () => {
    const s = requesterFindings(requester(grant(RG_NET, ['Microsoft.Network/*'], [JOIN])));
    expect(summary(s.findings)).toEqual(['REQUESTER_PERMISSION_MISSING:blocking']);
  });

  it('another role grants back what notActions removed', () => {
    const s = requesterFindings(requester(grant(RG_NET, ['Microsoft.Network/*'], [JOIN]), grant(vnetId(), [JOIN])));
    expect(s.findings).toEqual([]);
  });

  it('is a warning under advisory', () => {
    const s = requesterFindings(requester(grant(RG_NET, ['*/read'])), ADVISORY);
    expect(summary(s.findings)).toEqual(['REQUESTER_PERMISSION_MISSING:warning']);
    expect(s.findings[0]?.fix).toMatch(/approver/);
    expect(s.verdict).toBe('eligible');
  });

  it('is skipped when the requester is null', () => {
    const report = evaluateEligibility(facts({ requester: null }));
    expect(report.requesterChecked).toBe(false);
    expect(subnetReport(report).findings).toEqual([]);
  });
});

describe('BOT_PERMISSION_MISSING on the subnet', () => {
  it.each<[string, PrincipalAccess]>([
    ['Microsoft.Network/* on the resource group', bot(grant(RG_NET, ['Microsoft.Network/*']))],
    ['* at the subscription', bot(grant(`/subscriptions/${SUB}`, ['*']))],
    ['*/read + join', bot(grant(RG_NET, ['*/read', JOIN]))],
  ])('%s is enough', (_label, b) => {
    expect(subnetReport(evaluateEligibility(facts({ bot: b }))).findings).toEqual([]);
  });

  it('missing join is blocking even under advisory', () => {
    const s = subnetReport(evaluateEligibility(facts({ bot: bot(grant(RG_NET, ['*/read'])) }), ADVISORY));
    expect(summary(s.findings)).toEqual(['BOT_PERMISSION_MISSING:blocking']);
    expect(s.findings[0]?.message).toContain(JOIN);
    expect(s.findings[0]?.fix).toMatch(/Network Contributor/);
  });

  it('a grant on a sibling VNet does not apply', () => {
    const s = subnetReport(evaluateEligibility(facts({ bot: bot(grant(vnetId('spoke'), ['*'])) })));
    expect(summary(s.findings)).toEqual(['BOT_PERMISSION_MISSING:blocking']);
  });

  it('needs subnets/write only when a delegation fix is planned', () => {
    const reader = bot(grant(RG_NET, ['*/read', JOIN]));
    const plain = subnetReport(evaluateEligibility(facts({ bot: reader })));
    expect(plain.findings).toEqual([]);
    const undelegated = subnetReport(evaluateEligibility(facts({ bot: reader, subnets: [subnet('s', { delegations: [] })] })));
    expect(summary(undelegated.findings)).toEqual(['DELEGATION_MISSING:blocking']);
    expect(undelegated.findings[0]?.message).toContain('subnets/write');
    const writer = bot(grant(RG_NET, ['*/read', JOIN, 'Microsoft.Network/virtualNetworks/subnets/write']));
    const fixable = subnetReport(evaluateEligibility(facts({ bot: writer, subnets: [subnet('s', { delegations: [] })] })));
    expect(summary(fixable.findings)).toEqual(['DELEGATION_MISSING:fixable']);
  });

  it('missing join and missing write are separate findings: the write for the fix keeps the problem\'s code', () => {
    const s = subnetReport(evaluateEligibility(facts({ bot: bot(grant(RG_NET, ['*/read'])), subnets: [subnet('s', { delegations: [] })] })));
    expect(summary(s.findings)).toEqual(['DELEGATION_MISSING:blocking', 'BOT_PERMISSION_MISSING:blocking']);
    expect(findingOf(s.findings, FindingCode.BOT_PERMISSION_MISSING).message).toContain(JOIN);
  });
});

describe('both principals', () => {
  it('reports requester and bot separately', () => {
    const report = evaluateEligibility(facts({ requester: requester(), bot: bot() }));
    expect(summary(subnetReport(report).findings)).toEqual([
      'REQUESTER_PERMISSION_MISSING:blocking',
      'BOT_PERMISSION_MISSING:blocking',
    ]);
    expect(findingOf(subnetReport(report).findings, FindingCode.BOT_PERMISSION_MISSING).message).toMatch(/^The bot/);
  });

  it('allAccess is enough for both', () => {
    expect(subnetReport(evaluateEligibility(facts({ requester: allAccess('r'), bot: allAccess('b') }))).findings).toEqual([]);
  });
});
