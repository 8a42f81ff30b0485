/** Creates a request (one open request per instance at a time) and routes its approval card. */
import type { SubnetProposal } from '../../proposal/index.js';
import type { UndoPlan } from '../../requests/request.js';
import type { InstanceFacts } from '../../eligibility/facts.js';
import type { Finding, PlannedFix } from '../../eligibility/report.js';
import { routeApproval, type Routing } from '../../requests/approval-routing.js';
import { describeState } from '../../requests/lifecycle.js';
import { newRequestId } from '../../requests/request-id.js';
import { isOpen, type IntegrationRequest, type RequestKind } from '../../requests/request.js';
import type { PersonalChat } from '../../requests/settings.js';
import { instanceSummary } from '../../requests/summaries.js';
import { text, type Reply } from '../reply.js';
import type { BotServices, Origin } from '../services.js';
import type { TurnInfo } from '../turn-info.js';

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

/** In enforce mode a request needs the requester's Entra id, or their rights cannot be checked. */
export function identityRefusal(services: BotServices, turn: TurnInfo): Reply | null {
  if (turn.person.aadObjectId || services.deps.config.eligibility.requesterRbac === 'advisory') return null;
  return text('Teams did not tell me your Entra (Azure AD) identity, so I cannot check your Azure rights, and without that I may not make a request for you.');
}

async function routingFor(services: BotServices, turn: TurnInfo): Promise<Routing> {
  const { config, stores } = services.deps;
  const settings = await stores.settings.get();
  const chats = await Promise.all(config.bot.approverIds.map((id) => stores.settings.personalChat(id)));
  return routeApproval({
    approvalsChannel: settings.approvalsChannel?.conversation ?? null,
    requestConversation: turn.conversation,
    approverChats: chats.filter((c): c is PersonalChat => c !== null),
    approverIds: config.bot.approverIds,
    requesterAadObjectId: turn.person.aadObjectId,
    allowSelfApproval: config.bot.allowSelfApproval,
  });
}

export async function openRequest(services: BotServices, turn: TurnInfo, draft: RequestDraft, origin: Origin): Promise<Reply> {
  const refusal = identityRefusal(services, turn);
  if (refusal) return refusal;
  const { stores, clock } = services.deps;
  // One open request per instance, across every bot process that shares the store.
  return stores.locks.run(`instance:${draft.instance.id.toLowerCase()}`, async () => {
    const open = (await stores.requests.listByInstance(draft.instance.id)).find(isOpen);
    if (open) {
      return text(
        `Request ${open.id} for ${draft.instance.name} is already open (${describeState(open.state)}). Cancel it (cancel ${open.id}) or wait for it to finish before asking again.`,
      );
    }
    const routing = await routingFor(services, turn);
    const now = clock().toISOString();
    let request: IntegrationRequest | null = null;
    for (let attempt = 0; attempt < 5 && !request; attempt++) {
      const candidate: IntegrationRequest = {
        id: newRequestId(),
        version: 1,
        kind: draft.kind,
        instance: instanceSummary(draft.instance),
        subnetId: draft.subnetId,
        ...(draft.newSubnet ? { newSubnet: draft.newSubnet } : {}),
        ...(draft.undo ? { undo: draft.undo } : {}),
        requester: turn.person,
        findings: draft.findings,
        fixes: draft.fixes,
        conversation: turn.conversation,
        cards: [],
        routingNote: routing.note,
        state: 'pending',
        history: [{ at: now, from: null, to: 'pending', by: turn.person, why: null }],
        apply: null,
        createdAt: now,
        updatedAt: now,
      };
      if (await stores.requests.create(candidate)) request = candidate;
    }
    if (!request) throw new Error('Could not find a free request id.');
    const created = request;
    services.deps.logger.info('request created', { requestId: created.id, kind: created.kind, instance: created.instance.id, targets: routing.targets.length });
    return {
      card: services.cards.view(created, 'requester'),
      after: (activityId) => services.cards.publish(created.id, { activityId, replaceForAll: origin === 'invoke' }, routing.targets),
    };
  });
}
