/**
 * Delegates over /api/messages on the sandbox: an approver delegates to an @mentioned person until a date; the
 * delegate decides in their place (the cards and the audit name both); after the delegation ends, or once it is
 * withdrawn, the delegate is refused; each approver still counts once.
 */
import { describe, expect, it } from 'vitest';
import { alice, approvalCard, BOB, bob, CAROL, carol, checkAndRequest, DAVE, dave, estate, FakeClock, groupChat, instanceId, invokeCard, invokeMessage, personalChat, policyFile, subnetId, TENANT, textOf, told, useBot } from '../support/index.js';

const bot = useBot();
const OUTBOUND = subnetId('hub-vnet', 'apim-outbound');

async function start(policy: unknown, clock = new FakeClock()) {
  const h = await bot.start({ seed: estate(), tenantId: TENANT, clock: clock.now, env: { APPROVAL_POLICY: await policyFile(policy) } });
  const chat = groupChat('delegates');
  h.connector.addMembers(chat.id, alice, bob, carol, dave);
  return { h, chat, clock };
}

describe('a delegate', () => {
  it('decides in the approver’s place until the delegation ends, and is refused after', async () => {
    const { h, chat, clock } = await start({ default: { approvers: [BOB] } });
    await h.say(dave, personalChat(dave), 'help');
    const made = await h.say(bob, chat, 'delegate to @Dave until 2024-05-02', undefined, [dave]);
    expect(made.reply?.activity.text).toMatch(/^Dave may decide requests in your place until 2024-05-03 00:00 UTC \(delegation D-[0-9A-Z]{5}\)/);
    const toldDave = await h.connector.waitFor(() => h.connector.messages(personalChat(dave).id).find((s) => /delegated their approvals to you/.test(s.activity.text ?? '')));
    expect(toldDave.activity.text).toContain('Bob delegated their approvals to you until 2024-05-03 00:00 UTC');
    expect((await h.say(dave, personalChat(dave), 'delegations')).reply?.activity.text).toContain('You may decide in place of Bob.');

    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
    const approval = await approvalCard(h, chat.id, requestId);
    const second = await checkAndRequest(h, alice, chat, instanceId('payments-apim'), OUTBOUND);
    const card = await approvalCard(h, chat.id, second.requestId);
    const pending = await h.say(dave, personalChat(dave), 'pending');
    expect(textOf(pending.reply?.activity.attachments?.[0]?.content)).toContain('Waiting for your decision: 2');
    await h.click(dave, chat, 'approve', { requestId }, approval.activityId);
    const done = await told(h, chat.id, new RegExp(`${requestId} is done`));
    expect(done.activity.text).toContain('Approved by Dave for Bob.');
    await h.idle();
    expect(textOf(h.connector.latestCard(approval.activityId))).toMatch(/Decided by[\s\S]*Dave for Bob/);
    const audit = (await h.app.stores.audit.forRequest(requestId)).find((e) => e.to === 'approved');
    expect(audit?.actor).toBe(`Dave (${DAVE})`);
    expect(audit?.details).toContain('Dave approved for Bob.');

    clock.advanceHours(40);
    expect(invokeMessage(await h.click(dave, chat, 'approve', { requestId: second.requestId }, card.activityId))).toBe('Only the approvers of this request can approve it. Nothing changed.');
    expect((await h.say(bob, chat, 'delegations')).reply?.activity.text).toMatch(/You have no delegation running\.[\s\S]*Ended: Bob to Dave, until 2024-05-03 00:00 UTC/);
  });

  it('a withdrawn delegation gives nothing; a new one replaces the old', async () => {
    const { h, chat } = await start({ default: { approvers: [BOB] } });
    await h.say(bob, chat, 'delegate to @Carol for 3 days', undefined, [carol]);
    const replaced = await h.say(bob, chat, 'delegate to @Dave for 3 days', undefined, [dave]);
    expect(replaced.reply?.activity.text).toContain('Your delegation to Carol ended.');
    expect((await h.say(bob, chat, 'withdraw delegation')).reply?.activity.text).toMatch(/^Your delegation to Dave \(D-[0-9A-Z]{5}\) is withdrawn/);
    expect((await h.say(bob, chat, 'withdraw delegation')).reply?.activity.text).toBe('You have no delegation running. Nothing changed.');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
    const approval = await approvalCard(h, chat.id, requestId);
    for (const who of [carol, dave]) {
      expect(invokeMessage(await h.click(who, chat, 'approve', { requestId }, approval.activityId))).toBe('Only the approvers of this request can approve it. Nothing changed.');
    }
    expect((await h.app.stores.requests.get(requestId))?.state).toBe('pending');
  });

  it('counts once for the approver: the approver after their delegate adds nothing; the requester’s delegate may not approve for them', async () => {
    const { h, chat } = await start({ default: { approvers: [BOB, CAROL], quorum: 2 } });
    await h.say(bob, chat, 'delegate to @Dave for 2 days', undefined, [dave]);
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
    const approval = await approvalCard(h, chat.id, requestId);
    const first = await h.click(dave, chat, 'approve', { requestId }, approval.activityId);
    expect(textOf(invokeCard(first))).toContain('Approval 1 of 2. Dave approved for Bob. Still needed: 1 more from approvers.');
    expect(invokeMessage(await h.click(bob, chat, 'approve', { requestId }, approval.activityId))).toBe('Dave approved it for you already; your approval counts once. Nothing changed.');
    expect(invokeMessage(await h.click(dave, chat, 'approve', { requestId }, approval.activityId))).toBe('You have approved it already; your approval counts once. Nothing changed.');
    await h.idle();
    expect(textOf(h.connector.latestCard(approval.activityId))).toContain('Dave for Bob (1 of 2)');

    const own = await checkAndRequest(h, bob, chat, instanceId('payments-apim'), OUTBOUND);
    const ownCard = await approvalCard(h, chat.id, own.requestId);
    await h.click(carol, chat, 'approve', { requestId: own.requestId }, ownCard.activityId);
    expect(invokeMessage(await h.click(dave, chat, 'approve', { requestId: own.requestId }, ownCard.activityId))).toBe(
      'Bob made this request, so their delegate cannot approve it: another approver has to. Nothing changed.',
    );
  });

  it('refuses what is not a delegation, with the form to use', async () => {
    const { h, chat } = await start({ default: { approvers: [BOB] } });
    const say = async (who: typeof bob, text: string, mentions: (typeof bob)[] = []) => (await h.say(who, chat, text, undefined, mentions)).reply?.activity.text;
    expect(await say(alice, 'delegate to @Dave for 2 days', [dave])).toBe('Only approvers can delegate their approvals. Nothing changed.');
    expect(await say(bob, 'delegate to @Bob for 2 days', [bob])).toBe('You cannot delegate to yourself. Nothing changed.');
    expect(await say(bob, 'delegate to @Dave until someday', [dave])).toMatch(/^"someday" is not a date I can read/);
    expect(await say(bob, 'delegate to @Dave until 2020-01-01', [dave])).toBe('The end of a delegation must be in the future. Nothing changed.');
    expect(await say(bob, 'delegate to @Dave for 200 days', [dave])).toBe('A delegation runs for at most 90 days. Nothing changed.');
    expect(await say(bob, 'delegate to dave for 2 days')).toMatch(/^"dave" is neither an @mention nor an Entra object id/);
    const stranger = { name: 'Erin', aadObjectId: '0e0e0e0e-0000-4000-8000-000000000005', teamsId: '29:1erin-0e0e0e0e' };
    expect(await say(bob, 'delegate to @Erin for 2 days', [stranger])).toMatch(/^I could not find Erin in this conversation's members/);
    expect(await say(bob, `delegate to ${CAROL} for 2 days`)).toMatch(/may decide requests in your place until 2024-05-03 09:00 UTC/);
  });
});
