/** Opening a request: one open request per instance at a time, across every process that shares the store. */
import type { InstanceFacts } from '../eligibility/facts.js';
import type { Finding, PlannedFix } from '../eligibility/report.js';
import type { SubnetProposal } from '../proposal/index.js';
import { ruleFor, type ApprovalPolicy } from '../policy/approval-policy.js';
import { actorText, auditEvent } from './audit.js';
import { routeApproval, type Routing } from './approval-routing.js';
import { planFor } from './approvals.js';
import { newRequestId } from './request-id.js';
import { isOpen, type ApprovalPlan, type ConversationInfo, type HistoryEntry, type IntegrationRequest, type Person, type RequestKind, type UndoPlan } from './request.js';
import { keptApproval, keptApprovalNote, retryRefusal } from './retry.js';
import { waitNote, windowWait } from './window-wait.js';
import type { PersonalChat } from './settings.js';
import { updateWithRetry, type Stores } from './store/index.js';
import { instanceSummary } from './summaries.js';

export interface RequestDraft {
  kind: RequestKind;
  instance: InstanceFacts;
  subnetId: string | null;
  findings: Finding[];
  fixes: PlannedFix[];
  /** newSubnet: the proposal to create. */
  newSubnet?: SubnetProposal;
  /** disconnect: what the bot made for the instance, to remove. */
  undo?: UndoPlan;
  /** A retry: the failed request it tries again (as read before the check). */
  retryOf?: IntegrationRequest;
}

export interface Asker {
  person: Person;
  conversation: ConversationInfo;
}

export type Opened =
  | { request: IntegrationRequest; routing: Routing }
  | { alreadyOpen: IntegrationRequest }
  /** A retry that is not (any more): someone retried the request first, or it is no longer failed. */
  | { notRetried: string };

const ID_ATTEMPTS = 5;

/** Where the approval cards of a request under this plan, made by the asker, go. */
export async function routingFor(stores: Stores, plan: ApprovalPlan, asker: Asker): Promise<Routing> {
  const settings = await stores.settings.get();
  const approverIds = [...new Set(plan.stages.flatMap((s) => s.approvers))];
  const chats = await Promise.all(approverIds.map((id) => stores.settings.personalChat(id)));
  return routeApproval({
    approvalsChannel: settings.approvalsChannel?.conversation ?? null,
    requestConversation: asker.conversation,
    approverChats: chats.filter((c): c is PersonalChat => c !== null),
    approverIds,
    approverGroupIds: [...new Set(plan.stages.flatMap((s) => s.groups ?? []))],
    requesterAadObjectId: asker.person.aadObjectId,
    allowSelfApproval: plan.allowSelfApproval,
  });
}

/**
 * Stores the draft as a pending request with a fresh id, under the policy's rule for its instance, unless the
 * instance already has an open one.
 */
export function openRequest(stores: Stores, policy: ApprovalPolicy, asker: Asker, draft: RequestDraft, now: Date): Promise<Opened> {
  return stores.locks.run(`instance:${draft.instance.id.toLowerCase()}`, async () => {
    const open = (await stores.requests.listByInstance(draft.instance.id)).find(isOpen);
    if (open) return { alreadyOpen: open };
    const failed = draft.retryOf ? await stores.requests.get(draft.retryOf.id) : null;
    if (draft.retryOf) {
      const refusal = failed ? retryRefusal(failed, asker.person, failed.retriedAs ? await stores.requests.get(failed.retriedAs) : null) : `I have no request ${draft.retryOf.id}.`;
      if (refusal) return { notRetried: refusal };
    }
    const fresh = planFor(ruleFor(policy, draft.instance));
    const kept = failed ? keptApproval(failed, { ...draft, instanceId: draft.instance.id }, fresh, now) : null;
    const approval = kept ?? fresh;
    const routing: Routing = kept ? { targets: [], note: 'Approved already: the retry keeps the approval of the failed request.' } : await routingFor(stores, approval, asker);
    const at = now.toISOString();
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const id = newRequestId();
      if (failed && (await stores.requests.get(id))) continue;
      if (failed) await markRetried(stores, failed, id, asker.person, now);
      const request: IntegrationRequest = {
        id,
        version: 1,
        kind: draft.kind,
        instance: instanceSummary(draft.instance),
        subnetId: draft.subnetId,
        ...(draft.newSubnet ? { newSubnet: draft.newSubnet } : {}),
        ...(draft.undo ? { undo: draft.undo } : {}),
        requester: asker.person,
        findings: draft.findings,
        fixes: draft.fixes,
        conversation: asker.conversation,
        cards: [],
        routingNote: routing.note,
        approval,
        state: kept ? 'approved' : 'pending',
        history: historyOf(asker.person, at, failed, kept),
        apply: null,
        createdAt: at,
        updatedAt: at,
        ...(failed ? { retryOf: failed.id } : {}),
        ...(kept && windowWait(kept, now) ? { waitsUntil: windowWait(kept, now) } : {}),
      };
      if (await stores.requests.create(request)) return { request, routing };
    }
    throw new Error('Could not find a free request id.');
  });
}

function historyOf(by: Person, at: string, failed: IntegrationRequest | null, kept: ApprovalPlan | null): HistoryEntry[] {
  const asked: HistoryEntry = { at, from: null, to: 'pending', by, why: failed ? `Retry of ${failed.id}.` : null };
  if (!failed || !kept) return [asked];
  const names = kept.approvals.map((a) => a.by.name || a.by.aadObjectId || a.by.teamsId);
  const wait = windowWait(kept, new Date(at));
  const why = [keptApprovalNote(failed, names, kept.retryApprovedWithinHours ?? 0), wait ? waitNote(kept, wait) : null].filter(Boolean).join(' ');
  return [asked, { at, from: 'pending', to: 'approved', by: null, why }];
}

/** Links the failed request to its retry, in its record and its audit, before the retry is stored: a retry never exists unlinked. */
async function markRetried(stores: Stores, failed: IntegrationRequest, retryId: string, by: Person, now: Date): Promise<void> {
  await updateWithRetry(stores.requests, failed.id, (current) => ({ ...current, retriedAs: retryId }));
  await stores.audit.append([auditEvent(failed, now, `Retried as ${retryId} by ${actorText(by)}.`, { by, key: `retried:${retryId}` })]);
}
