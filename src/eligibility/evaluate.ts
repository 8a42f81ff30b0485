/**
 * The eligibility entry point: facts read from ARM in, a ranked report out. Pure and synchronous.
 * Instance-level findings apply to every candidate: a blocking one makes every subnet ineligible, a fixable one
 * makes otherwise-eligible subnets fixable and adds its fix to their `fixes` (an ineligible subnet plans no fixes).
 *
 * Subnets can be judged one by one as they are read (`judgeSubnet`), and the report assembled once all are in
 * (`assembleReport`): a large subscription is then judged while its later pages are still on the way.
 */
import type { CheckFacts, EligibilitySettings, SubnetFacts } from './facts.js';
import { DEFAULT_SETTINGS } from './facts.js';
import { capacityFindings } from './capacity-rules.js';
import { evaluateInstanceRules, isIntegrationSku, type InstanceEvaluation } from './instance-rules.js';
import { judgeNsg } from './nsg-fixes.js';
import { nsgFindings } from './nsg-rules.js';
import { botSubnetFindings, requesterSubnetFindings } from './permission-rules.js';
import { orderFixes, rankSubnets, sortFindings, verdictOf } from './ranking.js';
import type { EligibilityReport, Finding, PlannedFix, SubnetReport } from './report.js';
import { sameResourceId } from './resource-id.js';
import { routeFindings } from './route-rules.js';
import { delegationFindings, judgeSize, placementFindings, sizeFindings, usageFindings } from './subnet-rules.js';

/** Everything a check knows except its candidate subnets. */
export type CheckContext = Omit<CheckFacts, 'subnets'>;

/** A subnet's own findings, before the instance-level findings decide its verdict. */
export interface JudgedSubnet {
  facts: SubnetFacts;
  /** The current subnet the judgement assumed (see `integratedSubnetId`). */
  assumedCurrentSubnetId: string | null;
  report: Omit<SubnetReport, 'verdict' | 'fixes' | 'optionalFixes'>;
  fixes: PlannedFix[];
  optionalFixes: PlannedFix[];
}

export function evaluateEligibility(facts: CheckFacts, settings: EligibilitySettings = DEFAULT_SETTINGS): EligibilityReport {
  return assembleReport(
    facts,
    facts.subnets.map((subnet) => judgeSubnet(facts, subnet, settings)),
    settings,
  );
}

/**
 * The subnet a v2 instance is integrated with, as far as the instance alone tells. The instance rules may
 * still decide otherwise once every subnet is known (a Premium v2 subnet delegated for injection).
 */
export function integratedSubnetId(context: CheckContext): string | null {
  const { instance } = context;
  const external = instance.virtualNetworkType.trim().toLowerCase() === 'external';
  return isIntegrationSku(instance.skuName) && external ? instance.subnetResourceId : null;
}

/** Shared by every subnet without fixes (a subscription may hold tens of thousands). */
const NO_FIXES: PlannedFix[] = [];

/** One candidate subnet's own findings. */
export function judgeSubnet(
  context: CheckContext,
  subnet: SubnetFacts,
  settings: EligibilitySettings,
  currentSubnetId: string | null = integratedSubnetId(context),
): JudgedSubnet {
  const size = judgeSize(subnet.addressPrefixes);
  const delegation = delegationFindings(subnet, context.bot);
  const own: Finding[] = [
    ...placementFindings(context.instance, subnet),
    ...sizeFindings(subnet, size, settings),
    ...capacityFindings(context.instance, subnet, size, settings),
    ...usageFindings(context.instance, subnet, sameResourceId(subnet.id, currentSubnetId)),
    ...delegation.findings,
    ...routeFindings(subnet, context.routeTables, settings.dependencies.required),
  ];
  const requester = requesterSubnetFindings(subnet, context.requester, settings);
  const bot = botSubnetFindings(subnet, context.bot);
  // NSG fixes are offered only for a subnet nothing else rules out (most of a large subscription is).
  const blocked = own.some(isBlocking) || requester.some(isBlocking) || bot.some(isBlocking);
  const nsg = blocked ? null : judgeNsg(subnet, context, settings);
  own.push(...(nsg ? nsg.findings : nsgFindings(subnet, context.networkSecurityGroups, context.instance.location, settings.dependencies)), ...requester, ...bot);
  return {
    facts: subnet,
    assumedCurrentSubnetId: currentSubnetId,
    report: {
      id: subnet.id,
      name: subnet.name,
      vnetId: subnet.vnetId,
      vnetName: subnet.vnetName,
      addressPrefix: size.addressPrefix,
      addressPrefixes: subnet.addressPrefixes,
      prefixLength: size.prefixLength,
      findings: sortFindings(own),
    },
    fixes: nsg && nsg.fixes.length > 0 ? [...nsg.fixes, ...delegation.fixes] : delegation.fixes,
    optionalFixes: nsg ? nsg.optionalFixes : NO_FIXES,
  };
}

function isBlocking(finding: Finding): boolean {
  return finding.severity === 'blocking';
}


/** The report: instance-level rules over all subnets, each subnet's verdict and fixes, the ranking. */
export function assembleReport(context: CheckContext, judged: readonly JudgedSubnet[], settings: EligibilitySettings = DEFAULT_SETTINGS): EligibilityReport {
  const instance = evaluateInstanceRules({ ...context, subnets: judged.map((j) => j.facts) }, settings);
  const subnets = judged.map((j) => withVerdict(settle(context, j, instance.currentSubnetId, settings), instance));
  return {
    instance: context.instance,
    findings: instance.findings,
    subnets: rankSubnets(subnets, settings),
    requesterChecked: context.requester !== null,
  };
}

/** Judges again the one subnet whose findings depend on a current-subnet assumption that turned out wrong. */
function settle(context: CheckContext, judged: JudgedSubnet, currentSubnetId: string | null, settings: EligibilitySettings): JudgedSubnet {
  const affected = sameResourceId(judged.facts.id, judged.assumedCurrentSubnetId) || sameResourceId(judged.facts.id, currentSubnetId);
  return affected && !sameResourceId(judged.assumedCurrentSubnetId, currentSubnetId)
    ? judgeSubnet(context, judged.facts, settings, currentSubnetId)
    : judged;
}

function withVerdict(judged: JudgedSubnet, instance: InstanceEvaluation): SubnetReport {
  const verdict = verdictOf([...judged.report.findings, ...instance.findings]);
  const usable = verdict !== 'ineligible';
  const { report } = judged;
  // Every field named (no spread): V8 then keeps all of them inside each of the (many) report objects.
  return {
    id: report.id,
    name: report.name,
    vnetId: report.vnetId,
    vnetName: report.vnetName,
    addressPrefix: report.addressPrefix,
    addressPrefixes: report.addressPrefixes,
    prefixLength: report.prefixLength,
    verdict,
    findings: report.findings,
    fixes: usable ? orderFixes([...instance.fixes, ...judged.fixes]) : NO_FIXES,
    optionalFixes: usable ? judged.optionalFixes : NO_FIXES,
  };
}
