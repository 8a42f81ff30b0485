/** `check <instance> [in <vnet>]` and `integrate <instance>`: the options card, backed by a check record. */
import { randomUUID } from 'node:crypto';
import { runCheck } from '../../check/run-check.js';
import { proposalForAsker } from '../../check/subnet-proposal.js';
import { narrow, visibleTo, type VisibleReport } from '../../check/visible-report.js';
import type { InstanceFacts } from '../../eligibility/facts.js';
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
  const proposal = visible.identityUnknown ? null : proposalForAsker(outcome, report, target, config.eligibility);
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
