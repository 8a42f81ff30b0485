import { type EligibilitySettings, type SubnetFacts, unusedSubnet } from '../eligibility/facts.js';
import { configuredNsgProblem } from '../eligibility/nsg-fixes.js';
import { hasAction, SUBNET_WRITE_ACTION } from '../eligibility/permissions.js';
import { sameResourceId, subscriptionOf } from '../eligibility/resource-id.js';
import { proposeSubnet, ProposalRefusal, type ProposalOutcome, type ProposalVnet, type SubnetProposal } from '../proposal/index.js';
import { hasUsableSubnet, type CheckOutcome } from './run-check.js';

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
