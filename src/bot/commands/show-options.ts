/** `check <instance> [in <vnet>]` and `integrate <instance>`: the options card, backed by a check record. */
import { randomUUID } from 'node:crypto';
import { runCheckWithFacts } from '../../check/run-check.js';
import { subnetProposalFor } from '../../check/subnet-proposal.js';
import type { CheckFacts, InstanceFacts } from '../../eligibility/facts.js';
import { hasAction } from '../../eligibility/permissions.js';
import type { EligibilityReport, SubnetReport } from '../../eligibility/report.js';
import { sameResourceId } from '../../eligibility/resource-id.js';
import type { ProposalOutcome } from '../../proposal/index.js';
import type { ProposalCandidate, SubnetTarget } from '../../requests/check-record.js';
import { instanceSummary } from '../../requests/summaries.js';
import { optionsCard, selectOptions } from '../cards/options-card.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';

export const VNET_READ = 'Microsoft.Network/virtualNetworks/read';

export interface VisibleReport {
  report: EligibilityReport;
  hiddenCount: number;
  identityUnknown: boolean;
}

/** Keeps the subnets of VNets the person may read; the rest are only counted. No identity = nothing visible. */
export function visibleTo(facts: Pick<CheckFacts, 'requester'>, report: EligibilityReport): VisibleReport {
  const requester = facts.requester;
  if (!requester) return { report: { ...report, subnets: [] }, hiddenCount: report.subnets.length, identityUnknown: true };
  const readable = new Map<string, boolean>();
  const canRead = (vnetId: string) => {
    const key = vnetId.toLowerCase();
    let allowed = readable.get(key);
    if (allowed === undefined) {
      allowed = hasAction(requester, VNET_READ, vnetId);
      readable.set(key, allowed);
    }
    return allowed;
  };
  const subnets = report.subnets.filter((s) => canRead(s.vnetId));
  return { report: { ...report, subnets }, hiddenCount: report.subnets.length - subnets.length, identityUnknown: false };
}

/** The subnets a typed target narrows the list to, and how to say it ("hub-vnet", "hub-vnet/apim-outbound"). */
export function narrow(subnets: SubnetReport[], target: SubnetTarget | null): { subnets: SubnetReport[]; label: string | null } {
  if (!target) return { subnets, label: null };
  if (target.kind === 'new') {
    const wanted = target.vnet;
    if (wanted === null) return { subnets, label: null };
    return { subnets: subnets.filter((s) => s.vnetName.toLowerCase() === wanted.toLowerCase() || sameResourceId(s.vnetId, wanted)), label: wanted };
  }
  if (target.kind === 'id') return { subnets: subnets.filter((s) => sameResourceId(s.id, target.id)), label: target.id };
  const vnet = target.vnet.toLowerCase();
  const inVnet = subnets.filter((s) => s.vnetName.toLowerCase() === vnet || sameResourceId(s.vnetId, target.vnet));
  if (target.kind === 'vnet') return { subnets: inVnet, label: target.vnet };
  return { subnets: inVnet.filter((s) => s.name.toLowerCase() === target.subnet.toLowerCase()), label: `${target.vnet}/${target.subnet}` };
}

export async function readVisibleReport(services: BotServices, turn: TurnInfo, instance: InstanceFacts): Promise<VisibleReport> {
  const { arm, config } = services.deps;
  const outcome = await runCheckWithFacts(arm, { instance, requesterId: turn.person.aadObjectId }, config.eligibility);
  return visibleTo(outcome.context, outcome.report);
}

export async function showOptions(services: BotServices, turn: TurnInfo, instance: InstanceFacts, target: SubnetTarget | null): Promise<Reply> {
  const { stores, config, clock, arm } = services.deps;
  const outcome = await runCheckWithFacts(arm, { instance, requesterId: turn.person.aadObjectId }, config.eligibility);
  const visible = visibleTo(outcome.context, outcome.report);
  const narrowed = narrow(visible.report.subnets, target);
  const report = { ...visible.report, subnets: narrowed.subnets };
  const selection = selectOptions(report.subnets);
  const proposal = visible.identityUnknown ? null : proposalFor(outcome, report, target, services);
  const offered: ProposalCandidate | null = proposal?.proposal ? { choiceId: randomUUID(), proposal: proposal.proposal } : null;
  const checkId = randomUUID();
  const now = clock();
  await stores.checks.create({
    kind: 'options',
    checkId,
    instance: instanceSummary(report.instance),
    askedBy: turn.person.aadObjectId,
    conversationId: turn.conversation.conversationId,
    candidates: selection.choices.map((s) => ({
      subnetId: s.id,
      verdict: s.verdict === 'eligible' ? 'eligible' : 'fixable',
      fixes: s.fixes,
      findings: s.findings,
    })),
    proposal: offered,
    createdAt: now.toISOString(),
  });
  const card = optionsCard({
    checkId,
    report,
    selection,
    hiddenCount: visible.hiddenCount,
    identityUnknown: visible.identityUnknown,
    vnetFilter: narrowed.label,
    recommendedPrefix: config.eligibility.recommendedSubnetPrefix,
    dependencyTags: config.eligibility.dependencies.required,
    checkedAt: now,
    proposal: offered,
    proposalRefusal: proposal && !proposal.proposal ? proposal.reason.message : null,
  });
  return { card };
}

/**
 * The new subnet to offer: when none of the subnets the person sees is usable, or always on `new subnet`.
 * Only in VNets the person may read (a refusal must not name the others) and, through `subnetProposalFor`,
 * that both the person and the bot may add a subnet to (`subnets/write`).
 */
function proposalFor(
  outcome: Awaited<ReturnType<typeof runCheckWithFacts>>,
  visibleReport: EligibilityReport,
  target: SubnetTarget | null,
  services: BotServices,
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
  return subnetProposalFor({ report: visibleReport, context: outcome.context, vnets }, services.deps.config.eligibility, always, vnet);
}
