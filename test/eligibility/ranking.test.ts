import { describe, expect, it } from 'vitest';
import { FindingCode } from '../../src/eligibility/codes.js';
import { evaluateEligibility } from '../../src/eligibility/evaluate.js';
import { DEFAULT_SETTINGS } from '../../src/eligibility/facts.js';
import { orderFixes, rankSubnets, sortFindings, verdictOf } from '../../src/eligibility/ranking.js';
import type { Finding, SubnetReport } from '../../src/eligibility/report.js';
import { facts, nsg, rule, subnet } from './facts-builder.js';

const f = (severity: Finding['severity'], code = FindingCode.SUBNET_IN_USE): Finding => ({ code, severity, message: code, fix: null });

function report(name: string, verdict: SubnetReport['verdict'], prefixLength: number | null, vnetName = 'vnet'): SubnetReport {
  return {
    id: `/x/${vnetName}/${name}`,
    name,
    vnetId: `/x/${vnetName}`,
    vnetName,
    addressPrefix: null,
    addressPrefixes: [],
    optionalFixes: [],
    prefixLength,
    verdict,
    findings: [],
    fixes: [],
  };
}

describe('verdictOf', () => {
  it.each<[Finding['severity'][], string]>([
    [[], 'eligible'],
    [['info'], 'eligible'],
    [['warning', 'info'], 'eligible'],
    [['fixable'], 'fixable'],
    [['warning', 'fixable'], 'fixable'],
    [['fixable', 'blocking'], 'ineligible'],
    [['blocking'], 'ineligible'],
  ])('%j -> %s', (severities, verdict) => expect(verdictOf(severities.map((s) => f(s)))).toBe(verdict));
});

describe('sortFindings', () => {
  it('orders blocking, fixable, warning, info and is stable', () => {
    const input = [
      f('info', FindingCode.ALREADY_INTEGRATED),
      f('warning', FindingCode.SUBNET_BELOW_RECOMMENDED),
      f('blocking', FindingCode.REGION_MISMATCH),
      f('fixable', FindingCode.DELEGATION_MISSING),
      f('warning', FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT),
      f('blocking', FindingCode.NSG_MISSING),
    ];
    expect(sortFindings(input).map((x) => x.code)).toEqual([
      'REGION_MISMATCH',
      'NSG_MISSING',
      'DELEGATION_MISSING',
      'SUBNET_BELOW_RECOMMENDED',
      'NSG_DEPENDENCY_NOT_EXPLICIT',
      'ALREADY_INTEGRATED',
    ]);
    expect(input[0]?.code).toBe('ALREADY_INTEGRATED'); // not mutated
  });

  it('is applied to subnet findings', () => {
    const s = evaluateEligibility(
      facts({
        subnets: [subnet('s', { addressPrefixes: ['10.0.1.0/26'], delegations: [] })],
        nsgs: [nsg([rule({ name: 'deny-internet', priority: 100, access: 'Deny', destinationAddressPrefixes: ['Internet'] })])],
      }),
    ).subnets[0];
    expect(s?.findings.map((x) => `${x.code}:${x.severity}`)).toEqual([
      'NSG_BLOCKS_DEPENDENCY:blocking',
      'DELEGATION_MISSING:fixable',
      'SUBNET_BELOW_RECOMMENDED:warning',
      'NSG_BLOCKS_OPTIONAL_DEPENDENCY:warning',
    ]);
  });
});

describe('orderFixes', () => {
  it('puts registration before delegation and drops duplicates', () => {
    const del = { kind: 'addDelegation', subnetId: '/s', serviceName: 'Microsoft.Web/serverFarms' } as const;
    const reg = { kind: 'registerProvider', namespace: 'Microsoft.Web', subscriptionId: 'x' } as const;
    expect(orderFixes([del, reg, del])).toEqual([reg, del]);
  });
});

describe('rankSubnets', () => {
  it('eligible, fixable, ineligible; /24-compliant first; larger first; by name then VNet', () => {
    const input = [
      report('z-inel', 'ineligible', 16),
      report('b-fix', 'fixable', 24),
      report('a-27', 'eligible', 27),
      report('c-24', 'eligible', 24),
      report('A-24', 'eligible', 24, 'vnet-b'),
      report('a-24', 'eligible', 24, 'vnet-a'),
      report('big', 'eligible', 20),
      report('a-26', 'eligible', 26),
      report('none', 'eligible', null),
      report('f-27', 'fixable', 27),
      report('f-16', 'fixable', 16),
    ];
    expect(rankSubnets(input, DEFAULT_SETTINGS).map((r) => `${r.name}@${r.vnetName}`)).toEqual([
      'big@vnet',
      'a-24@vnet-a',
      'A-24@vnet-b',
      'c-24@vnet',
      'a-26@vnet',
      'a-27@vnet',
      'none@vnet',
      'f-16@vnet',
      'b-fix@vnet',
      'f-27@vnet',
      'z-inel@vnet',
    ]);
  });

  it('uses the recommended size from settings', () => {
    const input = [report('a', 'eligible', 24), report('b', 'eligible', 26), report('c', 'eligible', 27)];
    const loose = { ...DEFAULT_SETTINGS, recommendedSubnetPrefix: 26 };
    expect(rankSubnets(input, loose).map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });

  it('is stable for identical keys', () => {
    const a = report('same', 'eligible', 24);
    const b = { ...report('same', 'eligible', 24), id: '/other' };
    expect(rankSubnets([a, b], DEFAULT_SETTINGS)).toEqual([a, b]);
    expect(rankSubnets([b, a], DEFAULT_SETTINGS)).toEqual([b, a]);
  });

  it('ranks an evaluated report', () => {
    const r = evaluateEligibility(
      facts({
        subnets: [
          subnet('small', { addressPrefixes: ['10.0.9.0/28'] }),
          subnet('needs-delegation', { delegations: [], addressPrefixes: ['10.0.3.0/23'] }),
          subnet('warn-26', { addressPrefixes: ['10.0.4.0/26'] }),
          subnet('ok-24', { addressPrefixes: ['10.0.5.0/24'] }),
          subnet('ok-22', { addressPrefixes: ['10.0.8.0/22'] }),
        ],
      }),
    );
    expect(r.subnets.map((s) => `${s.name}:${s.verdict}`)).toEqual([
      'ok-22:eligible',
      'ok-24:eligible',
      'warn-26:eligible',
      'needs-delegation:fixable',
      'small:ineligible',
    ]);
  });
});
