/** SUBNET_BELOW_MAX_SCALE: can the subnet hold the instance at its tier's maximum scale? Pure. */
import { FindingCode } from './codes.js';
import type { EligibilitySettings, InstanceFacts, SubnetFacts } from './facts.js';
import { describeSubnet, finding, ipv4Size, skuDisplayName } from './messages.js';
import type { Finding } from './report.js';
import { ADDRESSES_PER_SCALE_UNIT, needAtMaxScale, RESERVED_SUBNET_ADDRESSES } from './scale-limits.js';
import type { SizeJudgement } from './subnet-rules.js';

const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/**
 * A warning when the subnet (judged by its largest IPv4 prefix) has fewer addresses than the tier needs at its
 * maximum scale. Subnets below the minimum size are already blocked by SUBNET_TOO_SMALL and get no second finding.
 */
export function capacityFindings(instance: InstanceFacts, subnet: SubnetFacts, size: SizeJudgement, settings: EligibilitySettings): readonly Finding[] {
  const { prefixLength } = size;
  if (prefixLength === null || prefixLength > settings.minSubnetPrefix) return NO_FINDINGS;
  const need = needAtMaxScale(instance.skuName);
  if (!need || 2 ** (32 - prefixLength) >= need.addresses) return NO_FINDINGS;
  const holding = 32 - Math.ceil(Math.log2(need.addresses));
  const tier = skuDisplayName(instance.skuName);
  return [
    finding(
      FindingCode.SUBNET_BELOW_MAX_SCALE,
      'warning',
      `${describeSubnet(subnet)} is ${size.addressPrefix} (${ipv4Size(prefixLength)}): a ${tier} instance at its maximum of ${need.maxUnits} scale units needs ${need.addresses} addresses (${RESERVED_SUBNET_ADDRESSES} reserved by Azure plus ${ADDRESSES_PER_SCALE_UNIT} per unit), so it cannot scale out that far here. The figure is derived from the VNet-injection guidance; it is not documented for integration.`,
      `If the instance may scale out to ${need.maxUnits} units, pick a subnet of /${holding} (${ipv4Size(holding)}) or larger.`,
    ),
  ];
}
