/** `check <instance> [in <vnet>]` and `integrate <instance>`: the options card, backed by a check record. */
import { randomUUID } from 'node:crypto';
import { runCheck } from '../../check/run-check.js';
import { subnetProposalFor } from '../../check/subnet-proposal.js';
import { narrow, visibleTo, VNET_READ, type VisibleReport } from '../../check/visible-report.js';
import type { InstanceFacts } from '../../eligibility/facts.js';
import { hasAction } from '../../eligibility/permissions.js';
import type { EligibilityReport } from '../../eligibility/report.js';
import type { ProposalOutcome } from '../../proposal/index.js';
import type { ProposalCandidate, SubnetTarget } from '../../requests/check-record.js';
import { instanceSummary } from '../../requests/summaries.js';
import { optionsCard, selectOptions } from '../cards/options-card.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';

export async function readVisibleReport(services: BotServices, turn: TurnInfo, instance: InstanceFacts): Promise<VisibleReport> {
  const { arm, config } = services.deps;
  const outcome = await runCheck(arm, { instance, requesterId: turn.person.aadObjectId }, config.eligibility);
  return visibleTo(outcome.context, outcome.report);
}

export async function showOptions(services: BotServices, turn: TurnInfo, instance: InstanceFacts, target: SubnetTarget | null): Promise<Reply> {
  const { stores, config, clock, arm } = services.deps;
  const outcome = await runCheck(arm, { instance, requesterId: turn.person.aadObjectId }, config.eligibility);
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
  outcome: Awaited<ReturnType<typeof runCheck>>,
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
