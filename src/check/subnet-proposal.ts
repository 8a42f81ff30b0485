import { type EligibilitySettings, type SubnetFacts, unusedSubnet } from '../eligibility/facts.js';
import { configuredNsgProblem } from '../eligibility/nsg-fixes.js';
import { hasAction, SUBNET_WRITE_ACTION } from '../eligibility/permissions.js';
import { sameResourceId, subscriptionOf } from '../eligibility/resource-id.js';
import { proposeSubnet, ProposalRefusal, type ProposalOutcome, type ProposalVnet, type SubnetProposal } from '../proposal/index.js';
import type { EligibilityReport } from '../eligibility/report.js';
import type { SubnetTarget } from '../requests/check-record.js';
import { hasUsableSubnet, type CheckOutcome } from './run-check.js';
import { VNET_READ } from './visible-report.js';

/**
 * The subnet the bot would create for the instance: when no existing subnet fits, or always when asked.
 * In a VNet that the bot may change and, when the requester is known, that the requester may change too.
 * null when the question does not arise: a subnet fits, one subnet was asked about, or the instance
 * itself cannot be integrated. `vnet` (a name or id) limits the proposal to that VNet.
 */
export function subnetProposalFor(outcome: CheckOutcome, settings: EligibilitySettings, always = false, vnet?: string): ProposalOutcome | null {
  const { report, context, vnets } = outcome;
  const fixes = settings.networkFixes;
  if (vnets.length === 0 || report.findings.some((f) => f.severity === 'blocking')) return null;
  if (!always && hasUsableSubnet(report)) return null;
  const mayChange = (vnet: ProposalVnet) =>
    hasAction(context.bot, SUBNET_WRITE_ACTION, vnet.id) && (context.requester === null || hasAction(context.requester, SUBNET_WRITE_ACTION, vnet.id));
  const outcomeOf = proposeSubnet({
    instance: { name: report.instance.name, subscriptionId: report.instance.subscriptionId, location: report.instance.location },
    vnets,
    mayChange,
    settings: {
      recommendedPrefix: settings.recommendedSubnetPrefix,
      minimumPrefix: settings.minSubnetPrefix,
      namePattern: fixes.subnetNamePattern,
      nsg: fixes.nsgId ? { existingNsgId: fixes.nsgId } : { create: { name: fixes.nsgNamePattern } },
      dependencyTags: settings.dependencies.required,
      tagForm: fixes.tagForm,
    },
    existingNsgIds: [...context.networkSecurityGroups.values()].map((nsg) => nsg.id),
    ...(vnet !== undefined ? { vnet } : {}),
  });
  const problem = outcomeOf.proposal ? configuredNsgRefusal(outcomeOf.proposal, outcome, settings) : null;
  return problem ? { proposal: null, reason: { code: ProposalRefusal.NSG_NOT_USABLE, message: problem } } : outcomeOf;
}

/**
 * Why the configured NSG (NEW_SUBNET_NSG_ID) cannot go on the proposed subnet, or null (also when the bot creates
 * the NSG): judged as for an existing subnet, with join rights for the bot and the requester.
 */
export function configuredNsgRefusal(proposal: SubnetProposal, outcome: Pick<CheckOutcome, 'context' | 'vnets'>, settings: EligibilitySettings): string | null {
  if ('create' in proposal.nsg) return null;
  const vnet = outcome.vnets.find((v) => sameResourceId(v.id, proposal.vnetId));
  const subnet: SubnetFacts = {
    id: proposal.subnetId,
    name: proposal.name,
    vnetId: proposal.vnetId,
    vnetName: proposal.vnetName,
    vnetLocation: vnet?.location ?? '',
    subscriptionId: subscriptionOf(proposal.vnetId) ?? '',
    addressPrefixes: [proposal.addressPrefix],
    delegations: [proposal.delegation],
    networkSecurityGroupId: proposal.nsg.id,
    ...unusedSubnet(),
  };
  return configuredNsgProblem(proposal.nsg.id, subnet, outcome.context, settings);
}

/**
 * The new subnet to offer the asker: when none of the subnets the person sees is usable, or always on `new subnet`.
 * Only in VNets the person may read (a refusal must not name the others) and, through `subnetProposalFor`,
 * that both the person and the bot may add a subnet to (`subnets/write`).
 */
export function proposalForAsker(
  outcome: CheckOutcome,
  visibleReport: EligibilityReport,
  target: SubnetTarget | null,
  settings: EligibilitySettings,
): ProposalOutcome | null {
  const requester = outcome.context.requester;
  if (!requester) return null;
  const vnets = outcome.vnets.filter((v) => hasAction(requester, VNET_READ, v.id));
  const vnet = target?.kind === 'new' ? (target.vnet ?? undefined) : target?.kind === 'vnet' ? target.vnet : undefined;
  if (target?.kind === 'id' || target?.kind === 'name') return null;
  const always = target?.kind === 'new';
  if (vnets.length === 0) {
    if (!always && vnet === undefined) return null;
    const { instance } = visibleReport;
    return {
      proposal: null,
      reason: {
        code: 'NO_VNET_IN_REGION',
        message: `I found no virtual network${vnet !== undefined ? ` named '${vnet}'` : ''} you can read in subscription ${instance.subscriptionId}, so I cannot propose a new subnet for '${instance.name}'.`,
      },
    };
  }
  return subnetProposalFor({ report: visibleReport, context: outcome.context, vnets }, settings, always, vnet);
}
