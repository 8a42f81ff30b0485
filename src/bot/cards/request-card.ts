/**
 * The request card in its three views: the approver's (approve/reject while pending, run now while it waits for
 * its change window), the requester's (cancel while pending) and a read-only one for `status <request id>`. Pure.
 */
import { keptParts, undoSteps } from '../../apply/undo.js';
import { currentStage, neededText, stagesOf } from '../../requests/approvals.js';
import type { SubnetProposal } from '../../proposal/index.js';
import type { IntegrationRequest, ApplyStep } from '../../requests/request.js';
import { afterIntegrationAdvice } from './after-integration-advice.js';
import { approvalText, createNsgLine, findingLine, fixLine, networkText, personText, requestSummary, skuText, STATE_COLOR, STATE_LABEL, subnetLabel, timeText, WAITING_LABEL, waitSentence } from './wording.js';
import { renderCard, type AdaptiveCard } from './template.js';
import { waitText } from '../../requests/window-wait.js';
import { nameFromId } from '../../eligibility/resource-id.js';

export type CardRole = 'approval' | 'requester' | 'viewer';

export interface RequestCardOptions {
  allowSelfApproval: boolean;
  /** Shown on top, for the person who clicked only (a refusal, a confirmation). */
  notice?: string;
  /** Where the approval card went, or why it could not go anywhere (requester view). */
  routingNote?: string;
  /** How many history entries to show (latest last). */
  historyLimit?: number;
  /** When a pending request expires (ISO 8601). */
  expiresAt?: string;
  /** The time now, to tell whether an approved request waits for its change window (without it the card does not say). */
  now?: Date;
}

const STEP_TEXT: Record<ApplyStep, string> = {
  recheck: 'Re-checking eligibility',
  registerProvider: 'Registering Microsoft.Web',
  addDelegation: 'Delegating the subnet to Microsoft.Web/serverFarms',
  createNsg: 'Creating the network security group',
  attachNsg: 'Associating the network security group with the subnet',
  addDependencyRules: 'Adding the explicit dependency rules to the network security group',
  createSubnet: 'Creating the subnet',
  detachNsg: 'Removing the network security group association the bot made',
  removeDependencyRule: 'Removing the dependency rules the bot added',
  deleteSubnet: 'Removing the subnet the bot created (once the instance no longer uses it)',
  deleteNsg: 'Removing the network security group the bot created',
  removeDelegation: 'Removing the delegation the bot added (once the instance no longer uses the subnet)',
  updateInstance: 'Updating the instance (a long-running operation; a VNet change may take several minutes, the gateway keeps serving)',
  done: 'Done',
};

export function planLines(request: IntegrationRequest): string[] {
  if (request.kind === 'disconnect') {
    const lines = [`1. Update ${request.instance.name}: virtualNetworkType None (it leaves ${subnetLabel(request.instance.subnetResourceId)}).`];
    const undo = request.undo;
    if (undo) {
      for (const item of undoSteps(undo)) lines.push(`${lines.length + 1}. ${item.plan}`);
      const kept = keptParts(undo);
      for (const item of kept) lines.push(`${lines.length + 1}. ${item.plan}`);
      if (kept.some((item) => item.lacks !== null)) {
        lines.push(
          "What the bot leaves in place stays after the disconnect: remove it yourself once the instance has left, or grant the bot's identity what it lacks, cancel this request and ask for the disconnect again.",
        );
      }
      lines.push('Nothing else is removed: anything the bot did not create stays.');
    }
    return lines;
  }
  const proposal = request.kind === 'newSubnet' ? (request.apply?.proposal ?? request.newSubnet ?? null) : null;
  const lines = proposal ? newSubnetLines(proposal) : request.fixes.map((fix) => fixLine(fix));
  const numbered = lines.map((line, i) => `${i + 1}. ${line}`);
  numbered.push(
    `${numbered.length + 1}. Update ${request.instance.name}: virtualNetworkType External, subnet ${subnetLabel(proposal?.subnetId ?? request.subnetId)}.`,
  );
  return numbered;
}

/** What the bot creates for a new subnet, exactly: the NSG and its rule, then the subnet. */
export function newSubnetLines(p: SubnetProposal): string[] {
  const nsgName = 'create' in p.nsg ? p.nsg.create : nameFromId(p.nsg.id);
  const lines: string[] = [];
  if ('create' in p.nsg) lines.push(createNsgLine({ nsgId: p.nsg.id, name: p.nsg.create, location: p.nsg.location, rules: p.nsg.rules }));
  lines.push(
    `Create subnet ${p.vnetName}/${p.name}: ${p.addressPrefix}, delegated to ${p.delegation}, network security group ${nsgName}${'create' in p.nsg ? '' : ' (existing)'}.`,
  );
  return lines;
}

function progressLines(request: IntegrationRequest, when: string | null): string[] {
  const apply = request.apply;
  if (!apply && when) return [`⏳ Waits for its change window: runs at ${when}.`];
  if (!apply) return request.state === 'approved' ? ['⏳ Starting…'] : [];
  const lines = apply.done.map((d) => `✅ ${d.note}`);
  if (apply.failure) {
    lines.push(`❌ ${STEP_TEXT[apply.step]}`);
    lines.push(...(apply.failure.leftBehind ?? []).map((l) => `↩️ ${l}`));
  } else if (apply.step !== 'done') lines.push(`⏳ ${STEP_TEXT[apply.step]}…`);
  return lines;
}

/** Who has approved so far and what is still needed, when the rule needs more than one approval. */
function approvalProgress(request: IntegrationRequest): string | null {
  const plan = request.approval;
  if (!plan || (plan.stages.length === 1 && (plan.stages[0]?.quorum ?? 1) === 1)) return null;
  const current = currentStage(plan);
  const stages = stagesOf(plan).map((s) => {
    const given = plan.approvals.filter((a) => a.stage === s.index);
    const who = given.length > 0 ? given.map(approvalText).join(', ') : 'none yet';
    return `${plan.stages.length > 1 ? `${s.index + 1}. ${s.stage.name}: ` : ''}${who} (${s.approvedBy.length} of ${s.stage.quorum})`;
  });
  return `${stages.join('; ')}${current ? `. Still needed: ${neededText(current)}.` : ''}`;
}

function historyLine(entry: IntegrationRequest['history'][number]): string {
  const why = entry.why ? `: ${entry.why}` : '';
  return `${timeText(entry.at)} · ${entry.to} · ${personText(entry.by)}${why}`;
}

export function requestCard(request: IntegrationRequest, role: CardRole, options: RequestCardOptions): AdaptiveCard {
  const pending = request.state === 'pending';
  const when = options.now ? waitText(request, options.now) : null;
  const facts = [
    { title: 'Request', value: request.id },
    { title: 'Instance', value: `${request.instance.name} (${skuText(request.instance.skuName)}, ${request.instance.location})` },
    { title: 'Before', value: networkText(request.instance) },
    ...(request.kind === 'integrate' ? [{ title: 'Subnet', value: subnetLabel(request.subnetId) }] : []),
    ...(request.kind === 'newSubnet' ? [{ title: 'Subnet', value: `${subnetLabel(request.apply?.proposal?.subnetId ?? request.subnetId)} (new, created by the bot)` }] : []),
    { title: 'Requested by', value: personText(request.requester) },
    { title: 'Requested at', value: timeText(request.createdAt) },
    ...(request.retryOf ? [{ title: 'Retry of', value: request.retryOf }] : []),
    ...(request.retriedAs ? [{ title: 'Retried as', value: request.retriedAs }] : []),
  ];
  const decided = [...request.history].reverse().find((h) => h.from !== h.to && ['approved', 'rejected', 'cancelled', 'expired'].includes(h.to));
  const approvals = request.approval?.approvals ?? [];
  if (decided?.to === 'approved' && approvals.length > 1) {
    facts.push({ title: 'Approved by', value: `${approvals.map(approvalText).join(', ')}; the last at ${timeText(decided.at)}` });
  } else if (decided && decided.to !== 'expired') {
    const only = decided.to === 'approved' ? approvals[0] : undefined;
    facts.push({ title: decided.to === 'cancelled' ? 'Cancelled by' : 'Decided by', value: `${only ? approvalText(only) : personText(decided.by)}, ${timeText(decided.at)}` });
  }
  const progress = pending ? approvalProgress(request) : null;
  if (progress) facts.push({ title: 'Approvals', value: progress });
  if (pending && options.expiresAt) facts.push({ title: 'Expires', value: timeText(options.expiresAt) });
  const notices = (request.notices ?? []).filter((n) => !n.passed).map((n) => `${n.note ?? n.key} at ${timeText(n.at)}`);
  if (pending && notices.length > 0) facts.push({ title: 'Reminders', value: notices.join('; ') });
  if (when) facts.push({ title: 'Runs at', value: `${when}, in its change window` });

  let footer = '';
  if (role === 'approval' && pending) {
    const selfApproval = request.approval?.allowSelfApproval ?? options.allowSelfApproval;
    footer = selfApproval
      ? 'Only the approvers of this request can approve or reject. Self-approval is on: the requester may approve their own request.'
      : 'Only the approvers of this request can approve or reject; the requester cannot approve their own request.';
  } else if (role === 'requester' && pending) {
    footer = options.routingNote ?? '';
  } else if (role === 'requester' && request.state === 'failed' && !request.retriedAs) {
    footer = `Once the cause is fixed, say retry ${request.id} for a fresh check and another try.`;
  } else if (when) {
    footer = `${waitSentence(when)}${role === 'approval' ? ' An approver of the request may run it now instead.' : ''}`;
  }

  const failure = request.apply?.failure ?? null;
  const limit = options.historyLimit ?? (role === 'viewer' ? 20 : 4);
  return renderCard('request', {
    notice: options.notice ?? '',
    title: `${request.kind === 'disconnect' ? 'Leave the VNet' : request.kind === 'newSubnet' ? 'VNet integration on a new subnet' : 'VNet integration'}: ${requestSummary(request)}`,
    stateText: when ? WAITING_LABEL : STATE_LABEL[request.state],
    stateColor: STATE_COLOR[request.state],
    facts,
    plan: planLines(request).map((text) => ({ text })),
    findings: request.findings.filter((f) => f.severity !== 'info' || role !== 'requester').map((f) => ({ text: findingLine(f, 300) })),
    progress: progressLines(request, when).map((text) => ({ text })),
    advice: afterIntegrationAdvice(request).map((text) => ({ text })),
    failureCode: failure?.code ?? '',
    failureExplanation: failure?.explanation ?? '',
    failureMessage: failure ? `Details: ${failure.message}` : '',
    history: request.history.slice(-limit).map((h) => ({ text: historyLine(h) })),
    footer,
    requestId: request.id,
    canDecide: role === 'approval' && pending,
    canKeep: role === 'approval' && pending && request.kind === 'disconnect' && (request.undo ? undoSteps(request.undo).length > 0 : false),
    canCancel: role === 'requester' && pending,
    canRunNow: role === 'approval' && when !== null,
  });
}
