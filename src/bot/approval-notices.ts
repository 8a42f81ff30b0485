/**
 * The reminders and the escalation of a pending request, at its rule's times (requests/timing.ts). Each is
 * marked sent by a compare-and-set before it goes out, so of several processes sweeping at once one sends it,
 * and a restart does not send it again. Reminders go where the approval cards are and name who is still awaited;
 * an escalation's people become approvers of the waiting stage and get the card in their personal chats, or the
 * card goes to the approvals channel.
 */
import { listOf } from '../eligibility/messages.js';
import { messageOf } from '../errors.js';
import { awaitedApprovers, neededText, currentStage, planOf, withEscalation } from '../requests/approvals.js';
import { auditEvent } from '../requests/audit.js';
import { expiresAt } from '../requests/lifecycle.js';
import type { ConversationInfo, IntegrationRequest } from '../requests/request.js';
import { updateWithRetry } from '../requests/store/index.js';
import { dueNotice, markSent, timingOf, type DueNotice } from '../requests/timing.js';
import { personText, requestSummary, timeText } from './cards/wording.js';
import type { BotServices } from './services.js';

export async function sendDueNotice(services: BotServices, request: IntegrationRequest): Promise<void> {
  const { stores, clock, config } = services.deps;
  const now = clock();
  const fallbackTtl = config.bot.requestTtlHours;
  const notice = dueNotice(request, now, fallbackTtl);
  if (!notice) return;
  const escalate = notice.kind === 'escalation' ? timingOf(request, fallbackTtl).escalate : null;
  const note = notice.kind === 'reminder' ? `Reminder ${notice.number}` : `Escalated to ${await targetText(services, escalate?.to ?? null)}`;
  const { request: stored, changed } = await updateWithRetry(stores.requests, request.id, (current) => {
    if (dueNotice(current, now, fallbackTtl)?.key !== notice.key) return null;
    const marked = markSent(current, notice, now, note);
    if (!marked || escalate?.to.kind !== 'people') return marked;
    return { ...marked, approval: withEscalation(planOf(marked, config.bot.approvalPolicy), escalate.to.ids) };
  });
  if (!changed || !stored) return;
  const expiry = expiresAt(stored, timingOf(stored, fallbackTtl).ttlHours);
  const details = notice.kind === 'reminder' ? await remind(services, stored, notice, expiry) : await escalateNow(services, stored, expiry);
  await stores.audit.append([auditEvent(stored, now, details, { key: notice.key })]);
  await services.cards.refresh(stored.id);
}

/** Posts the reminder where the approval cards are; returns what the audit says. */
async function remind(services: BotServices, request: IntegrationRequest, notice: DueNotice, expiry: Date): Promise<string> {
  const plan = planOf(request, services.deps.config.bot.approvalPolicy);
  const stage = currentStage(plan);
  const awaited = await namesOf(services, awaitedApprovers(plan));
  const waiting = stage ? ` Still needed: ${neededText(stage)}${awaited.length > 0 ? ` (${listOf(awaited)})` : ''}.` : '';
  const text =
    `⏰ Reminder: request ${request.id} (${requestSummary(request)}) from ${personText(request.requester)} has waited ${hoursSince(services, request)} hours for a decision.${waiting} ` +
    `It expires at ${timeText(expiry.toISOString())} unless an approver approves or rejects it on its card.`;
  const sent = await postAll(services, request, approvalConversations(request), text);
  return `Reminder ${notice.number} sent to approvers in ${sent} conversation${sent === 1 ? '' : 's'}; the request expires at ${expiry.toISOString()}.`;
}

/** Gives the card to the escalation's people (or the approvals channel) and says so where the cards are. */
async function escalateNow(services: BotServices, request: IntegrationRequest, expiry: Date): Promise<string> {
  const { stores, config } = services.deps;
  const target = timingOf(request, config.bot.requestTtlHours).escalate?.to ?? null;
  const who = await targetText(services, target);
  const already = new Set(approvalConversations(request).map((c) => c.conversationId));
  let targets: ConversationInfo[] = [];
  let unreachable: string[] = [];
  if (target?.kind === 'people') {
    const chats = await Promise.all(target.ids.map(async (id) => ({ id, chat: await stores.settings.personalChat(id) })));
    targets = chats.flatMap((c) => (c.chat ? [c.chat.conversation] : []));
    unreachable = await namesOf(services, chats.filter((c) => !c.chat).map((c) => c.id));
  } else if (target?.kind === 'approvalsChannel') {
    const channel = (await stores.settings.get()).approvalsChannel?.conversation ?? null;
    targets = channel ? [channel] : [];
  }
  const fresh = targets.filter((t) => !already.has(t.conversationId));
  const posted = fresh.length > 0 ? await services.cards.postApprovalCards(request.id, fresh) : 0;
  const where = [
    posted > 0 ? `the approval card went to ${posted} new conversation${posted === 1 ? '' : 's'}` : null,
    unreachable.length > 0 ? `${listOf(unreachable)} ${unreachable.length === 1 ? 'has' : 'have'} no personal chat with the bot yet and can approve on this card` : null,
    target?.kind === 'approvalsChannel' && targets.length === 0 ? 'no approvals channel is set (say "approvals here" in a channel)' : null,
  ].filter((part): part is string => part !== null);
  const text =
    `⏫ Request ${request.id} (${requestSummary(request)}) from ${personText(request.requester)} has waited ${hoursSince(services, request)} hours without a decision: ` +
    `escalated to ${who}${where.length > 0 ? `; ${where.join('; ')}` : ''}. It expires at ${timeText(expiry.toISOString())}.`;
  await postAll(services, request, approvalConversations(request).filter((c) => already.has(c.conversationId)), text);
  return `Escalated to ${who}${where.length > 0 ? `: ${where.join('; ')}` : ''}.`;
}

function approvalConversations(request: IntegrationRequest): ConversationInfo[] {
  const byId = new Map<string, ConversationInfo>();
  for (const card of request.cards) if (card.role === 'approval') byId.set(card.conversation.conversationId, card.conversation);
  return [...byId.values()];
}

async function postAll(services: BotServices, request: IntegrationRequest, conversations: ConversationInfo[], text: string): Promise<number> {
  let sent = 0;
  for (const conversation of conversations) {
    try {
      await services.notifier.post(conversation, { type: 'message', text });
      sent++;
    } catch (error) {
      services.deps.logger.warn('could not send a notice to approvers', { requestId: request.id, error: messageOf(error) });
    }
  }
  return sent;
}

function hoursSince(services: BotServices, request: IntegrationRequest): number {
  return Math.floor((services.deps.clock().getTime() - Date.parse(request.createdAt)) / 3_600_000);
}

/** People by the name their personal chat with the bot gave, else by object id. */
async function namesOf(services: BotServices, ids: readonly string[]): Promise<string[]> {
  return Promise.all(ids.map(async (id) => (await services.deps.stores.settings.personalChat(id))?.name || id));
}

async function targetText(services: BotServices, target: { kind: 'people'; ids: string[] } | { kind: 'approvalsChannel' } | null): Promise<string> {
  if (!target) return 'nobody';
  return target.kind === 'approvalsChannel' ? 'the approvals channel' : listOf(await namesOf(services, target.ids));
}
