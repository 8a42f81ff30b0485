/**
 * `who approves [<instance>]` over /api/messages: the approvers of the rule that applies, by their Teams names where
 * the roster or their personal chat gives one (object ids otherwise), its terms, and where a request made here goes.
 */
import { describe, expect, it } from 'vitest';
import { actionsOf, alice, BOB, bob, CAROL, carol, DAVE, dave, estate, groupChat, instanceId, invokeMessage, personalChat, policyFile, TENANT, useBot } from '../support/index.js';

const bot = useBot();

const POLICY = {
  default: { approvers: [BOB], ttlHours: 48, remindAfterHours: [24] },
  rules: [
    {
      name: 'payments',
      match: { instance: instanceId('contoso-apim') },
      stages: [
        { name: 'network', approvers: [BOB, CAROL], quorum: 2 },
        { name: 'security', approvers: [DAVE] },
      ],
      allowSelfApproval: false,
      escalate: { afterHours: 12, to: [DAVE] },
    },
  ],
};

async function start() {
  return bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVAL_POLICY: await policyFile(POLICY) } });
}

describe('who approves', () => {
  it('names the default rule’s approver from the roster and says the card comes to this chat', async () => {
    const h = await start();
    const chat = groupChat('who');
    h.connector.addMembers(chat.id, alice, bob);
    const answer = (await h.say(alice, chat, 'who approves?')).reply?.activity.text ?? '';
    expect(answer).toContain('**Requests** are decided under the rule "default" (every instance no other rule names): approval of Bob.');
    expect(answer).toContain('A request waits 2 days for a decision, with a reminder after 24 hours.');
    expect(answer).toContain('A request made here sends its approval card to this conversation.');
    expect(answer).toContain('1 other rule applies to some instances: say `who approves <instance>` for one.');
    expect(answer).not.toContain(BOB);
  });

  it('for one instance: stages, quorum, escalation; names from personal chats, object ids where none is known', async () => {
    const h = await start();
    await h.say(carol, personalChat(carol), 'help');
    const answer = (await h.say(alice, personalChat(alice), 'who can approve for contoso-apim')).reply?.activity.text ?? '';
    expect(answer).toContain('**Requests on contoso-apim** are decided under the rule "payments" (the instance contoso-apim):');
    expect(answer).toContain(`Stage 1 (network): 2 approvals from ${BOB} and Carol.`);
    expect(answer).toContain(`Stage 2 (security), after the stages before it: approval of ${DAVE}.`);
    expect(answer).toContain('Nobody approves their own request.');
    expect(answer).toContain(`Undecided after 12 hours, it is escalated to ${DAVE}.`);
    expect(answer).toContain(`A request made here sends its approval card to a personal chat with Carol. ${BOB} and ${DAVE} have no personal chat with me yet, so they find it by saying \`pending\`.`);
    expect(answer).not.toContain('other rule');
  });

  it('a name several instances share gets the pick card, and the choice answers for that instance', async () => {
    const h = await start();
    const chat = personalChat(alice);
    const asked = await h.say(alice, chat, 'who approves payments-apim');
    const card = asked.reply?.activity.attachments?.[0]?.content;
    const pick = actionsOf(card).find((a) => a.verb === 'pickInstance');
    expect(pick?.title).toBe('Show its approvers');
    const picked = await h.click(alice, chat, 'pickInstance', { ...pick?.data, instanceId: instanceId('payments-apim') }, asked.reply?.activityId ?? null);
    expect(invokeMessage(picked)).toContain('**Requests on payments-apim** are decided under the rule "default"');
  });

  it('an unknown instance gets the not-found answer; extra words get the form', async () => {
    const h = await start();
    expect((await h.say(dave, personalChat(dave), 'who approves nosuch-apim')).reply?.activity.text).toMatch(/nosuch-apim/);
    const confused = await h.say(dave, personalChat(dave), 'who approves contoso-apim and payments-apim');
    expect(JSON.stringify(confused.reply?.activity.attachments?.[0]?.content)).toContain('who approves <instance>');
  });
});
