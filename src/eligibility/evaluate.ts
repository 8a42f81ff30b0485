/**
 * The eligibility entry point: facts read from ARM in, a ranked report out. Pure and synchronous.
 * Instance-level findings apply to every candidate: a blocking one makes every subnet ineligible, a fixable one
 * makes otherwise-eligible subnets fixable and adds its fix to their `fixes` (an ineligible subnet plans no fixes).
 */
import type { CheckFacts, EligibilitySettings, SubnetFacts } from './facts.js';
import { DEFAULT_SETTINGS } from './facts.js';
import { evaluateInstanceRules, type InstanceEvaluation } from './instance-rules.js';
import { nsgFindings } from './nsg-rules.js';
import { botSubnetFindings, requesterSubnetFindings } from './permission-rules.js';
import { orderFixes, rankSubnets, sortFindings, verdictOf } from './ranking.js';
import type { EligibilityReport, Finding, SubnetReport } from './report.js';
import { sameResourceId } from './resource-id.js';
import { delegationFindings, judgeSize, placementFindings, sizeFindings, usageFindings } from './subnet-rules.js';

export function evaluateEligibility(facts: CheckFacts, settings: EligibilitySettings = DEFAULT_SETTINGS): EligibilityReport {
  const instance = evaluateInstanceRules(facts, settings);
  const subnets = facts.subnets.map((subnet) => evaluateSubnet(facts, subnet, settings, instance));
  return {
    instance: facts.instance,
    findings: instance.findings,
    subnets: rankSubnets(subnets, settings),
    requesterChecked: facts.requester !== null,
  };
}

/** One candidate subnet, judged against the instance. Its report lists only its own findings. */
export function evaluateSubnet(
  facts: CheckFacts,
  subnet: SubnetFacts,
  settings: EligibilitySettings,
  instance: InstanceEvaluation,
): SubnetReport {
  const size = judgeSize(subnet.addressPrefixes);
  const delegation = delegationFindings(subnet, facts.bot);
  const own: Finding[] = [
    ...placementFindings(facts.instance, subnet),
    ...sizeFindings(subnet, size, settings),
    ...usageFindings(facts.instance, subnet, sameResourceId(subnet.id, instance.currentSubnetId)),
    ...delegation.findings,
    ...nsgFindings(subnet, facts.networkSecurityGroups, facts.instance.location),
    ...requesterSubnetFindings(subnet, facts.requester, settings),
    ...botSubnetFindings(subnet, facts.bot),
  ];
  const verdict = verdictOf([...own, ...instance.findings]);
  return {
    id: subnet.id,
    name: subnet.name,
    vnetId: subnet.vnetId,
    vnetName: subnet.vnetName,
    addressPrefix: size.addressPrefix,
    addressPrefixes: [...subnet.addressPrefixes],
    prefixLength: size.prefixLength,
    verdict,
    findings: sortFindings(own),
    fixes: verdict === 'ineligible' ? [] : orderFixes([...instance.fixes, ...delegation.fixes]),
  };
}
