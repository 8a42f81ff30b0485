/** `pending` (what waits for my decision, across chats) and `my requests`, over /api/messages on the sandbox. */
import { describe, expect, it } from 'vitest';
import { alice, BOB, bob, CAROL, carol, cardOf, checkAndRequest, dave, estate, groupChat, instanceId, invokeCard, personalChat, policyFile, subnetId, TENANT, textOf, useBot } from '../support/index.js';

const bot = useBot();

async function start() {
  const file = await policyFile({ default: { approvers: [BOB, CAROL], quorum: 2 } });
  return bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVAL_POLICY: file } });
}

describe('what waits for me', () => {
  it('lists, oldest first, what waits for the approver across two chats, with buttons that decide; then what is left', async () => {
    const h = await start();
    const first = await checkAndRequest(h, alice, groupChat('one'), 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const second = await checkAndRequest(h, alice, groupChat('two'), instanceId('payments-apim'), subnetId('hub-vnet', 'apim-empty'));

    const list = await h.say(bob, personalChat(bob), 'pending');
    const card = cardOf(list.reply?.activity);
    const text = textOf(card);
    expect(text).toContain('Waiting for your decision: 2');
    expect(text.indexOf(first.requestId)).toBeLessThan(text.indexOf(second.requestId));
    const buttons = JSON.stringify(card);
    expect(buttons).toContain(`"verb":"approve","style":"positive","data":{"requestId":"${first.requestId}"}`);

    const clicked = await h.click(bob, personalChat(bob), 'approve', { requestId: first.requestId }, list.reply!.activityId);
    expect(textOf(invokeCard(clicked))).toContain('Your approval is recorded. Approval 1 of 2.');
    const after = textOf(cardOf((await h.say(bob, personalChat(bob), 'my approvals')).reply?.activity));
    expect(after).toContain('Waiting for your decision: 1');
    expect(after).not.toContain(first.requestId);
    expect(textOf(cardOf((await h.say(carol, personalChat(carol), 'pending')).reply?.activity))).toContain('Waiting for your decision: 2');
    expect(textOf(cardOf((await h.say(dave, personalChat(dave), 'pending')).reply?.activity))).toContain('Nothing waits for your decision.');
  });

  it('my requests: the asker\'s own, newest first, without decision buttons', async () => {
    const h = await start();
    const first = await checkAndRequest(h, alice, groupChat('mine-1'), 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const second = await checkAndRequest(h, alice, groupChat('mine-2'), instanceId('payments-apim'), subnetId('hub-vnet', 'apim-empty'));
    const card = cardOf((await h.say(alice, personalChat(alice), 'my requests')).reply?.activity);
    const text = textOf(card);
    expect(text).toContain('Your requests: 2');
    expect(text.indexOf(second.requestId)).toBeLessThan(text.indexOf(first.requestId));
    expect(JSON.stringify(card)).not.toContain('"verb":"approve"');
    expect(textOf(cardOf((await h.say(bob, personalChat(bob), 'my requests')).reply?.activity))).toContain('You have made no requests yet.');
  });
});
