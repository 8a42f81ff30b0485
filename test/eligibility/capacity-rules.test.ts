import { describe, expect, it } from 'vitest';
import { capacityFindings } from '../../src/eligibility/capacity-rules.js';
import { FindingCode } from '../../src/eligibility/codes.js';
import { evaluateEligibility } from '../../src/eligibility/evaluate.js';
import { DEFAULT_SETTINGS, type EligibilitySettings } from '../../src/eligibility/facts.js';
import { ADDRESSES_PER_SCALE_UNIT, MAX_SCALE_UNITS, needAtMaxScale, RESERVED_SUBNET_ADDRESSES } from '../../src/eligibility/scale-limits.js';
import { judgeSize } from '../../src/eligibility/subnet-rules.js';
import { facts, findingOf, instance, subnet, subnetReport, summary } from './facts-builder.js';

function codesFor(skuName: string, prefixes: string[], settings: EligibilitySettings = DEFAULT_SETTINGS): string[] {
  const s = subnet('s', { addressPrefixes: prefixes });
  return summary(capacityFindings(instance({ skuName }), s, judgeSize(prefixes), settings));
}

describe('scale limits', () => {
  it('are the documented figures: 5 reserved, 2 per unit, Standard v2 10 units, Premium v2 30', () => {
    expect(RESERVED_SUBNET_ADDRESSES).toBe(5);
    expect(ADDRESSES_PER_SCALE_UNIT).toBe(2);
    expect(MAX_SCALE_UNITS).toEqual({ standardv2: 10, premiumv2: 30 });
    expect(needAtMaxScale('StandardV2')).toEqual({ maxUnits: 10, addresses: 25 });
    expect(needAtMaxScale('PremiumV2')).toEqual({ maxUnits: 30, addresses: 65 });
    expect(needAtMaxScale(' premiumv2 ')).toEqual({ maxUnits: 30, addresses: 65 });
  });

  it('know no maximum for tiers without integration', () => {
    for (const sku of ['Developer', 'Premium', 'BasicV2', 'Consumption', '']) expect(needAtMaxScale(sku)).toBeNull();
  });

  it('answer the same object for the same tier (no work per subnet)', () => {
    expect(needAtMaxScale('PremiumV2')).toBe(needAtMaxScale('PremiumV2'));
  });
});

describe('SUBNET_BELOW_MAX_SCALE', () => {
  it.each([
    ['StandardV2', '10.0.1.0/24', []],
    ['StandardV2', '10.0.1.0/26', []],
    ['StandardV2', '10.0.1.0/27', []], // 32 >= 25
    ['PremiumV2', '10.0.1.0/24', []],
    ['PremiumV2', '10.0.1.0/25', []], // 128 >= 65
    ['PremiumV2', '10.0.1.0/26', ['SUBNET_BELOW_MAX_SCALE:warning']], // 64 < 65
    ['PremiumV2', '10.0.1.0/27', ['SUBNET_BELOW_MAX_SCALE:warning']],
    ['premiumv2', '10.0.1.0/27', ['SUBNET_BELOW_MAX_SCALE:warning']],
  ])('%s on %s', (sku, prefix, expected) => {
    expect(codesFor(sku, [prefix])).toEqual(expected);
  });

  it('says the numbers, that they are derived from injection guidance, and the size that would do', () => {
    const [f] = capacityFindings(instance({ skuName: 'PremiumV2' }), subnet('s'), judgeSize(['10.0.1.0/27']), DEFAULT_SETTINGS);
    expect(f).toMatchObject({ code: FindingCode.SUBNET_BELOW_MAX_SCALE, severity: 'warning' });
    expect(f?.message).toContain("Subnet 's' in VNet 'hub-vnet' is 10.0.1.0/27 (32 addresses)");
    expect(f?.message).toContain('a Premium v2 instance at its maximum of 30 scale units needs 65 addresses (5 reserved by Azure plus 2 per unit)');
    expect(f?.message).toContain('derived from the VNet-injection guidance; it is not documented for integration');
    expect(f?.fix).toBe('If the instance may scale out to 30 units, pick a subnet of /25 (128 addresses) or larger.');
  });

  it('is not added to a subnet that is already too small, or has no IPv4 prefix', () => {
    expect(codesFor('StandardV2', ['10.0.1.0/28'])).toEqual([]);
    expect(codesFor('PremiumV2', ['10.0.1.0/28'])).toEqual([]);
    expect(codesFor('PremiumV2', ['fd00::/64'])).toEqual([]);
    expect(codesFor('PremiumV2', [])).toEqual([]);
  });

  it('follows a smaller configured minimum', () => {
    const lax: EligibilitySettings = { ...DEFAULT_SETTINGS, minSubnetPrefix: 28 };
    expect(codesFor('StandardV2', ['10.0.1.0/28'], lax)).toEqual(['SUBNET_BELOW_MAX_SCALE:warning']);
  });

  it('judges the largest IPv4 prefix', () => {
    expect(codesFor('PremiumV2', ['10.0.1.0/27', '10.0.2.0/25'])).toEqual([]);
  });

  it('says nothing for tiers without integration', () => {
    expect(codesFor('Developer', ['10.0.1.0/27'])).toEqual([]);
  });

  it('in a whole check: a warning beside SUBNET_BELOW_RECOMMENDED, the verdict unchanged', () => {
    const report = evaluateEligibility(facts({ instance: { skuName: 'PremiumV2' }, subnets: [subnet('s', { addressPrefixes: ['10.0.1.0/26'] })] }));
    const s = subnetReport(report);
    expect(s.verdict).toBe('eligible');
    expect(summary(s.findings)).toEqual(['SUBNET_BELOW_RECOMMENDED:warning', 'SUBNET_BELOW_MAX_SCALE:warning']);
    expect(findingOf(s.findings, FindingCode.SUBNET_BELOW_MAX_SCALE).fix).toMatch(/\/25/);
  });
});
