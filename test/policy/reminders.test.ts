/**
 * A rule's reminders and escalation over /api/messages with the bot's clock moved by the test: each sent once at
 * its time, across a restart of the bot on the same store, shown on the approval card and in the audit; the
 * escalation's person gets the card in their personal chat and may then approve.
 */
import { describe, expect, it } from 'vitest';
import { alice, approvalCard, BOB, CAROL, checkAndRequest, DAVE, dave, estate, FakeClock, groupChat, invokeCard, personalChat, policyFile, subnetId, TENANT, textOf, told, useBot } from '../support/index.js';

const bot = useBot();

describe('reminders, then an escalation', () => {
  it('each is sent once at its time, across a restart, and the escalation makes its person an approver', async () => {
    const clock = new FakeClock();
    const policy = { default: { approvers: [BOB, CAROL], ttlHours: 48, remindAfterHours: [4, 12], escalate: { afterHours: 24, to: [DAVE] } } };
    const h = await bot.start({ seed: estate(), tenantId: TENANT, clock: clock.now, env: { APPROVAL_POLICY: await policyFile(policy) } });
    await h.say(dave, personalChat(dave), 'help');
    const chat = groupChat('reminders');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(h, chat.id, requestId);
    const notices = () => h.connector.messages(chat.id).filter((s) => /^(⏰ Reminder|⏫ Request)/.test(s.activity.text ?? ''));
    const sweep = async () => {
      await h.app.sweep();
      await h.idle();
    };

    clock.advanceHours(3);
    await sweep();
    expect(notices()).toHaveLength(0);
    clock.advanceHours(1);
    await sweep();
    await sweep();
    expect(notices().map((s) => s.activity.text)).toEqual([expect.stringMatching(new RegExp(`^⏰ Reminder: request ${requestId} .* has waited 4 hours.*Still needed: 1 more from approvers`))]);

    await h.restart();
    await sweep();
    expect(notices()).toHaveLength(1);
    clock.advanceHours(8);
    await sweep();
    expect(notices()).toHaveLength(2);
    expect(notices()[1]!.activity.text).toContain('has waited 12 hours');
    const early = await h.click(dave, chat, 'approve', { requestId }, approval.activityId);
    expect(early.body?.value).toBe('Only the approvers of this request can approve it. Nothing changed.');

    clock.advanceHours(12);
    await sweep();
    await h.restart();
    await sweep();
    expect(notices()).toHaveLength(3);
    expect(notices()[2]!.activity.text).toMatch(new RegExp(`^⏫ Request ${requestId} .* has waited 24 hours without a decision: escalated to Dave; the approval card went to 1 new conversation`));
    const daveCard = await approvalCard(h, personalChat(dave).id, requestId);
    expect(textOf(h.connector.latestCard(approval.activityId))).toMatch(/Reminders[\s\S]*Reminder 1 at 2024-05-01 13:00[\s\S]*Reminder 2 at 2024-05-01 21:00[\s\S]*Escalated to Dave at 2024-05-02 09:00/);

    const clicked = await h.click(dave, personalChat(dave), 'approve', { requestId }, daveCard.activityId);
    expect(textOf(invokeCard(clicked))).not.toMatch(/Only the approvers/);
    await told(h, chat.id, new RegExp(`${requestId} is done`));

    const audit = (await h.app.stores.audit.forRequest(requestId)).map((e) => e.details ?? '');
    expect(audit.filter((d) => /^(Reminder|Escalated)/.test(d))).toEqual([
      expect.stringMatching(/^Reminder 1 sent to approvers in 1 conversation; the request expires at 2024-05-03T09:00:00.000Z\.$/),
      expect.stringMatching(/^Reminder 2 sent to approvers in 1 conversation/),
      'Escalated to Dave: the approval card went to 1 new conversation.',
    ]);
  });
});
