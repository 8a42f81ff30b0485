import type { EligibilitySettings } from '../eligibility/facts.js';
import { hasAction, SUBNET_WRITE_ACTION } from '../eligibility/permissions.js';
import { proposeSubnet, type ProposalOutcome, type ProposalVnet } from '../proposal/index.js';
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
  return proposeSubnet({
    instance: { name: report.instance.name, subscriptionId: report.instance.subscriptionId, location: report.instance.location },
    vnets,
    mayChange,
    settings: {
      recommendedPrefix: settings.recommendedSubnetPrefix,
      minimumPrefix: settings.minSubnetPrefix,
      namePattern: fixes.subnetNamePattern,
      nsg: fixes.nsgId ? { existingNsgId: fixes.nsgId } : { create: { name: fixes.nsgNamePattern } },
      storageTag: fixes.storageTag,
    },
    existingNsgIds: [...context.networkSecurityGroups.values()].map((nsg) => nsg.id),
    ...(vnet !== undefined ? { vnet } : {}),
  });
}
