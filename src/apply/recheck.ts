/** The re-check right before applying: today's estate, judged again; returns the fixes still needed. */
import { ArmWriteError } from '../azure/long-running.js';
import type { ArmClients } from '../azure/arm-clients.js';
import { runCheck } from '../check/run-check.js';
import { configuredNsgRefusal, subnetProposalFor } from '../check/subnet-proposal.js';
import { FindingCode } from '../eligibility/codes.js';
import { hasAction, SUBNET_WRITE_ACTION } from '../eligibility/permissions.js';
import { proposalStillFits, type SubnetProposal } from '../proposal/index.js';
import type { EligibilitySettings } from '../eligibility/facts.js';
import type { Finding, PlannedFix } from '../eligibility/report.js';
import { approvedPlan } from './approved-plan.js';
import { sameResourceId } from '../eligibility/resource-id.js';
import { CodedError } from '../errors.js';
import { disconnectBlockers, integrateBlockers } from '../requests/blockers.js';
import { subnetLabel } from '../requests/labels.js';
import type { IntegrationRequest } from '../requests/request.js';

/** The re-check found a reason to stop. */
export class RecheckRefused extends Error {
  constructor(readonly finding: Finding) {
    super(finding.message);
  }
}

export async function recheck(arm: ArmClients, eligibility: EligibilitySettings, request: IntegrationRequest): Promise<PlannedFix[]> {
  const requesterId = request.requester.aadObjectId;
  if (request.kind === 'disconnect') {
    const current = request.instance.subnetResourceId;
    const outcome = await runCheck(arm, { instance: request.instance.id, subnetId: current, requesterId }, eligibility).catch((error: unknown) => {
      // The subnet it was on may be gone; the instance-level rules are what matter here.
      if (current && error instanceof CodedError && error.code === 'SUBNET_NOT_FOUND') return null;
      throw error;
    });
    if (outcome) {
      const blocker = disconnectBlockers(outcome.report, { ignoreBusy: true })[0];
      if (blocker) throw new RecheckRefused(blocker);
    }
    return [];
  }
  const subnetId = request.subnetId ?? '';
  const { report } = await runCheck(arm, { instance: request.instance.id, subnetId, requesterId }, eligibility);
  const subnet = report.subnets.find((s) => sameResourceId(s.id, subnetId));
  if (!subnet) throw new ArmWriteError('SubnetNotFound', `Subnet ${subnetLabel(subnetId)} no longer exists.`);
  const blocker = integrateBlockers(report, subnet, { ignoreBusy: true })[0];
  if (blocker) throw new RecheckRefused(blocker);
  const approved = approvedPlan(request.fixes, subnet.fixes, subnet.optionalFixes);
  if (!approved.ok) {
    throw new ApplyRefused(
      'PlanChanged',
      `Since the approval, the bot would also have to do something the approver did not see: ${approved.text}`,
      `Nothing more was changed. Check ${request.instance.name} again and make a new request, so that an approver sees what the bot will do.`,
    );
  }
  return approved.plan;
}

/**
 * The re-check refuses what was approved, with its reason: the new subnet cannot be created as approved nor picked
 * again in the same VNet, or the bot would need a fix the approver did not see (PlanChanged).
 */
export class ApplyRefused extends Error {
  constructor(
    readonly code: 'ProposalNoLongerFits' | 'SubnetWriteNotAllowed' | 'NsgNotUsable' | 'PlanChanged',
    message: string,
    readonly explanation: string,
  ) {
    super(message);
  }
}

/**
 * The re-check of a newSubnet request, right before anything is created: the instance may still be integrated,
 * the bot and the requester may still add subnets to the VNet, and the proposal still fits a fresh read of the
 * VNet. When its space (or name) was taken meanwhile, a new pick in the same VNet; none = ApplyRefused.
 */
export async function recheckNewSubnet(
  arm: ArmClients,
  eligibility: EligibilitySettings,
  request: IntegrationRequest,
): Promise<{ proposal: SubnetProposal; note: string }> {
  const approved = request.apply?.proposal ?? request.newSubnet;
  if (!approved) throw new ApplyRefused('ProposalNoLongerFits', 'The request does not say which subnet to create.', 'Make a new request.');
  const outcome = await runCheck(arm, { instance: request.instance.id, requesterId: request.requester.aadObjectId }, eligibility);
  const blocker = outcome.report.findings.find((f) => f.severity === 'blocking' && f.code !== FindingCode.INSTANCE_BUSY);
  if (blocker) throw new RecheckRefused(blocker);
  const { bot, requester } = outcome.context;
  if (!hasAction(bot, SUBNET_WRITE_ACTION, approved.vnetId) || (requester !== null && !hasAction(requester, SUBNET_WRITE_ACTION, approved.vnetId))) {
    throw new ApplyRefused(
      'SubnetWriteNotAllowed',
      `${requester !== null && !hasAction(requester, SUBNET_WRITE_ACTION, approved.vnetId) ? 'The requester' : 'The bot'} may no longer add a subnet to '${approved.vnetName}' (${SUBNET_WRITE_ACTION}).`,
      'Nothing was created. Ask the network owner for the right, then make a new request.',
    );
  }
  const nsgProblem = configuredNsgRefusal(approved, outcome, eligibility);
  if (nsgProblem) throw new ApplyRefused('NsgNotUsable', nsgProblem, 'Nothing was created. Fix the configured network security group (NEW_SUBNET_NSG_ID) or the rights on it, then make a new request.');
  const fits = proposalStillFits(approved, outcome.vnets);
  if (fits.ok) return { proposal: approved, note: `Re-checked: ${approved.addressPrefix} in '${approved.vnetName}' is still free.` };
  const again = fits.code === 'VNET_GONE' ? null : subnetProposalFor(outcome, eligibility, true, approved.vnetId);
  if (again?.proposal) {
    return {
      proposal: again.proposal,
      note: `Re-checked: ${fits.message} Picked ${again.proposal.addressPrefix} (${again.proposal.vnetName}/${again.proposal.name}) instead.`,
    };
  }
  const why = again?.reason ? ` ${again.reason.message}` : '';
  throw new ApplyRefused(
    'ProposalNoLongerFits',
    `${fits.message}${why}`,
    `Nothing was created: the space approved for the new subnet was taken and no other block is free in '${approved.vnetName}'. Say check ${request.instance.name} for a fresh proposal.`,
  );
}
