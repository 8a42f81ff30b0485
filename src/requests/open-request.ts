/** Opening a request: one open request per instance at a time, across every process that shares the store. */
import type { InstanceFacts } from '../eligibility/facts.js';
import type { Finding, PlannedFix } from '../eligibility/report.js';
import type { SubnetProposal } from '../proposal/index.js';
import { ruleFor, type ApprovalPolicy } from '../policy/approval-policy.js';
import { routeApproval, type Routing } from './approval-routing.js';
import { planFor, type ApprovalPlan } from './approvals.js';
import { newRequestId } from './request-id.js';
import { isOpen, type ConversationInfo, type IntegrationRequest, type Person, type RequestKind, type UndoPlan } from './request.js';
import type { PersonalChat } from './settings.js';
import type { Stores } from './store/index.js';
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
}

export interface Asker {
  person: Person;
  conversation: ConversationInfo;
}

export type Opened = { request: IntegrationRequest; routing: Routing } | { alreadyOpen: IntegrationRequest };

const ID_ATTEMPTS = 5;

async function routingFor(stores: Stores, plan: ApprovalPlan, asker: Asker): Promise<Routing> {
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
    const approval = planFor(ruleFor(policy, draft.instance));
    const routing = await routingFor(stores, approval, asker);
    const at = now.toISOString();
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const request: IntegrationRequest = {
        id: newRequestId(),
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
        state: 'pending',
        history: [{ at, from: null, to: 'pending', by: asker.person, why: null }],
        apply: null,
        createdAt: at,
        updatedAt: at,
      };
      if (await stores.requests.create(request)) return { request, routing };
    }
    throw new Error('Could not find a free request id.');
  });
}
