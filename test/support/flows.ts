/** Steps the bot tests repeat: check and request, find the approval card, wait for the end. */
import { expect } from 'vitest';
import { invokeCard, type BotHarness } from './bot-harness.js';
import type { BotClient } from './bot-client.js';
import { actionsOf, cardOf, choicesOf, textOf, type Sent } from './fake-connector.js';
import { bob } from './people.js';
import type { Chat, TeamsUser } from './teams.js';

export const REQUEST_ID = /R-[0-9A-Z]{5}/;

/** `extra`: more of the options card's inputs (e.g. `addDependencyRules: 'true'`). */
export async function checkAndRequest(h: BotClient, who: TeamsUser, chat: Chat, instance: string, subnetId: string, extra: Record<string, unknown> = {}) {
  const check = await h.say(who, chat, `check ${instance}`);
  const options = cardOf(check.reply?.activity);
  const action = actionsOf(options).find((a) => a.verb === 'requestIntegration');
  expect(action, `options card for ${instance}:\n${textOf(options)}`).toBeTruthy();
  const optionsId = check.reply!.activityId;
  const result = await h.click(who, chat, 'requestIntegration', { ...action!.data, subnetId, ...extra }, optionsId);
  const card = invokeCard(result);
  const requestId = REQUEST_ID.exec(textOf(card))?.[0];
  expect(requestId, `requester card:\n${JSON.stringify(result.body)}`).toBeTruthy();
  return { requestId: requestId!, optionsId, checkId: action!.data.checkId as string, result, options };
}

/** Checks `instance` and requests the new subnet its options card proposes (🆕): the request's id. */
export async function requestNewSubnet(h: BotClient, who: TeamsUser, chat: Chat, instance = 'contoso-apim'): Promise<string> {
  const check = await h.say(who, chat, `check ${instance}`);
  const options = cardOf(check.reply?.activity);
  const action = actionsOf(options).find((a) => a.verb === 'requestIntegration')!;
  const choice = choicesOf(options, 'subnetId').find((c) => c.value.startsWith('new:'));
  expect(choice, textOf(options)).toBeTruthy();
  const result = await h.click(who, chat, 'requestIntegration', { ...action.data, subnetId: choice!.value }, check.reply!.activityId);
  const requestId = REQUEST_ID.exec(textOf(invokeCard(result)))?.[0];
  expect(requestId, JSON.stringify(result.body)).toBeTruthy();
  return requestId!;
}

/** The approval card for a request in a conversation (waits for it to be posted). */
export function approvalCard(h: BotClient, conversationId: string, requestId: string): Promise<Sent> {
  return h.connector.waitFor(
    () =>
      h.connector
        .messages(conversationId)
        .find((s) => s.kind === 'post' && actionsOf(cardOf(s.activity)).some((a) => a.verb === 'approve' && a.data.requestId === requestId)),
    10_000,
    `the approval card of ${requestId} in ${conversationId}`,
  );
}

/** A text message posted to a conversation that matches. */
export function told(h: BotClient, conversationId: string, pattern: RegExp): Promise<Sent> {
  return h.connector.waitFor(
    () => h.connector.messages(conversationId).find((s) => s.kind === 'post' && pattern.test(s.activity.text ?? '')),
    20_000,
    `a message matching ${pattern} in ${conversationId}`,
  );
}

/** An approver approves from the approval card, and the request runs to its end (done or failed). */
export async function approveAndWait(h: BotHarness, chat: Chat, requestId: string, approver: TeamsUser = bob): Promise<Sent> {
  const approval = await approvalCard(h, chat.id, requestId);
  await h.click(approver, chat, 'approve', { requestId }, approval.activityId);
  await told(h, chat.id, new RegExp(`${requestId} (is done|failed)`));
  await h.idle();
  return approval;
}

/** `disconnect <instance>` typed in a chat: the request it opened. */
export async function askToDisconnect(h: BotClient, who: TeamsUser, chat: Chat, instance = 'contoso-apim'): Promise<string> {
  const reply = await h.say(who, chat, `disconnect ${instance}`);
  const requestId = REQUEST_ID.exec(textOf(reply.reply?.activity))?.[0];
  expect(requestId, textOf(reply.reply?.activity)).toBeTruthy();
  return requestId!;
}
