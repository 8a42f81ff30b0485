/**
 * Approvers given as Entra groups, over /api/messages on the sandbox, which stands in for Microsoft Graph's
 * checkMemberGroups from its seed's `groups`: a member counts, a non-member is refused, a failed check never grants,
 * answers are kept for GROUP_CACHE_SECONDS, and `pending` finds what waits for a member.
 */
import { describe, expect, it } from 'vitest';
import {
  alice,
  approvalCard,
  BOB,
  bob,
  CAROL,
  carol,
  cardOf,
  channel,
  checkAndRequest,
  dave,
  estate,
  groupChat,
  invokeCard,
  invokeMessage,
  personalChat,
  policyFile,
  subnetId,
  TENANT,
  textOf,
  told,
  useBot,
  type BotHarness,
} from '../support/index.js';

const bot = useBot();
const OUTBOUND = subnetId('hub-vnet', 'apim-outbound');
const PLATFORM = '9a000000-0000-4000-8000-000000000001';
const PLATFORM_ONCALL = '9a000000-0000-4000-8000-000000000002';
const NOT_PLATFORM = '9a000000-0000-4000-8000-000000000003';

/** Carol is in platform through platform-oncall (nested); Dave is only in another group. */
function seed() {
  return { ...estate(), groups: { [PLATFORM]: [PLATFORM_ONCALL], [PLATFORM_ONCALL]: [CAROL], [NOT_PLATFORM]: ['da7e0000-0000-4000-8000-000000000001'] } };
}

async function startWith(policy: unknown, env: Record<string, string> = {}) {
  return bot.start({ seed: seed(), tenantId: TENANT, env: { APPROVAL_POLICY: await policyFile(policy), ...env } });
}

async function requested(h: BotHarness, chatName: string) {
  const chat = groupChat(chatName);
  const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
  return { chat, requestId, approval: await approvalCard(h, chat.id, requestId) };
}

async function graphCalls(h: BotHarness): Promise<{ status: number }[]> {
  return (await h.armRequests()).filter((r) => r.method === 'POST' && r.path.includes('/checkMemberGroups'));
}

const ANY_GROUP_MEMBER = { default: { approvers: [BOB], groups: [PLATFORM], quorum: 2 } };

describe('approver groups', () => {
  it('a member of the group (through a nested group) approves and counts; an approver by object id completes it without a Graph call', async () => {
    const h = await startWith(ANY_GROUP_MEMBER);
    const { chat, requestId, approval } = await requested(h, 'groups-count');
    expect((await h.app.stores.requests.get(requestId))?.routingNote).toBe(
      'The approval card is in this conversation. Members of the approver groups get no personal message from me: they can say "pending" to me to find it.',
    );
    const counted = await h.click(carol, chat, 'approve', { requestId }, approval.activityId);
    expect(textOf(invokeCard(counted))).toContain('Your approval is recorded. Approval 1 of 2. Still needed: 1 more from approvers.');
    expect(await graphCalls(h)).toHaveLength(1);

    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();
    expect(await graphCalls(h)).toHaveLength(1);
    expect((await h.app.stores.requests.get(requestId))?.approval?.approvals.map((a) => a.by.name)).toEqual(['Carol', 'Bob']);
  });

  it('a non-member is refused, and nothing changes', async () => {
    const h = await startWith({ default: { groups: [PLATFORM] } });
    const { chat, requestId, approval } = await requested(h, 'groups-outsider');
    const refused = await h.click(dave, chat, 'approve', { requestId, groups: [NOT_PLATFORM] }, approval.activityId);
    expect(invokeMessage(refused)).toBe('Only the approvers of this request can approve it. Nothing changed.');
    const rejected = await h.click(dave, chat, 'reject', { requestId }, approval.activityId);
    expect(invokeMessage(rejected)).toBe('Only the approvers of this request can reject it. Nothing changed.');
    const stored = await h.app.stores.requests.get(requestId);
    expect(stored?.state).toBe('pending');
    expect(stored?.approval?.approvals).toEqual([]);
  });

  it('when Graph refuses the bot (no GroupMember.Read.All), a member is refused with the reason and nothing changes; an approver by id still decides', async () => {
    const h = await startWith(ANY_GROUP_MEMBER);
    const { chat, requestId, approval } = await requested(h, 'groups-denied');
    await h.faults({ graphDenied: true });
    const refused = await h.click(carol, chat, 'approve', { requestId }, approval.activityId);
    expect(invokeMessage(refused)).toBe(
      "I could not check your membership of the approver groups: Microsoft Graph answered 403 Authorization_RequestDenied: the bot's identity needs the Graph application permissions GroupMember.Read.All and User.Read.All. An approver listed by object id can still decide. Nothing changed.",
    );
    expect((await h.app.stores.requests.get(requestId))?.approval?.approvals).toEqual([]);
    expect((await graphCalls(h)).map((c) => c.status)).toEqual([403]);

    const byId = await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    expect(textOf(invokeCard(byId))).toContain('Approval 1 of 2.');

    // A failed answer is not kept: once Graph answers again, the member counts.
    await h.faults({ graphDenied: false });
    await h.click(carol, chat, 'approve', { requestId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();
    expect((await graphCalls(h)).map((c) => c.status)).toEqual([403, 200]);
  });

  it('pending lists the request for a member, not for a non-member; the member\'s decisions within GROUP_CACHE_SECONDS send one Graph call', async () => {
    const h = await startWith(ANY_GROUP_MEMBER);
    const { chat, requestId, approval } = await requested(h, 'groups-pending');

    const list = await h.say(carol, personalChat(carol), 'pending');
    const text = textOf(cardOf(list.reply?.activity));
    expect(text).toContain('Waiting for your decision: 1');
    expect(text).toContain(requestId);
    expect(textOf(cardOf((await h.say(dave, personalChat(dave), 'pending')).reply?.activity))).toContain('Nothing waits for your decision.');
    const afterPending = (await graphCalls(h)).length;

    await h.click(carol, personalChat(carol), 'approve', { requestId }, list.reply!.activityId);
    const again = await h.click(carol, chat, 'approve', { requestId }, approval.activityId);
    expect(invokeMessage(again)).toBe('You have approved it already; your approval counts once. Nothing changed.');
    // Carol's three turns asked about the same groups: one call; Dave's `pending` asked once for himself.
    expect(afterPending).toBe(2);
    expect(await graphCalls(h)).toHaveLength(2);
  });

  it('with Graph refusing, pending says why the list may miss what waits through a group', async () => {
    const h = await startWith(ANY_GROUP_MEMBER);
    await requested(h, 'groups-pending-denied');
    await h.faults({ graphDenied: true });
    const text = textOf(cardOf((await h.say(carol, personalChat(carol), 'pending')).reply?.activity));
    expect(text).toContain('Nothing waits for your decision.');
    expect(text).toContain('I could not check your membership of the approver groups: Microsoft Graph answered 403 Authorization_RequestDenied');
  });

  it('a member may say approvals here and read a request of the rule anywhere; a non-member may do neither', async () => {
    const h = await startWith({ default: { groups: [PLATFORM] } });
    const { requestId } = await requested(h, 'groups-read');
    const replyOf = async (said: Awaited<ReturnType<BotHarness['say']>>) => said.reply?.activity.text ?? textOf(cardOf(said.reply?.activity));

    expect(await replyOf(await h.say(carol, personalChat(carol), `status ${requestId}`))).toContain('contoso-apim');
    const outsider = await replyOf(await h.say(dave, personalChat(dave), `status ${requestId}`));
    expect(outsider).toContain(`I have no request ${requestId} that you can see`);
    expect(outsider).not.toContain('contoso-apim');

    const approvals = channel('platform-approvals');
    expect(await replyOf(await h.say(dave, approvals, 'approvals here'))).toBe('Only a configured approver can choose where approval cards go. Nothing changed.');
    expect(await replyOf(await h.say(carol, approvals, 'approvals here'))).toMatch(/^From now on, approval cards come to this channel\./);
    expect((await h.app.stores.settings.get()).approvalsChannel?.setBy.name).toBe('Carol');
  });
});
