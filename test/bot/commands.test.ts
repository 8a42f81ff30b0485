import { describe, expect, it } from 'vitest';
import { actionsOf, alice, approvalCard, BOB, bob, cardOf, carol, channel, checkAndRequest, choicesOf, estate, groupChat, instanceId, invokeCard, membersAdded, personalChat, subnetId, TENANT, textOf, useSharedBot } from '../support/index.js';

const h = useSharedBot(() => ({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB } }));

describe('text commands', () => {
  it('from a personal chat with no approver reachable, the requester is told how to set up approvals', async () => {
    const chat = personalChat(alice);
    const asked = await h.say(alice, chat, 'connect contoso-apim to hub-vnet/apim-outbound');
    const card = cardOf(asked.reply?.activity);
    expect(textOf(card)).toMatch(/No approver can be reached yet.*approvals here/s);
    const requestId = /R-[0-9A-Z]{5}/.exec(textOf(card))![0];
    await h.idle();

    // An approver then names an approvals channel: the waiting request's approval card goes there.
    const approvals = channel('first-approvals');
    const set = await h.say(bob, approvals, 'approvals here');
    expect(set.reply?.activity.text).toMatch(/Posting 1 request still waiting/);
    await approvalCard(h, approvals.id, requestId);
    await h.idle();
    expect(textOf(h.connector.latestCard(asked.reply!.activityId))).toContain('The approval card went to the approvals channel.');

    const cancelled = await h.say(alice, chat, `cancel ${requestId}`);
    expect(cancelled.reply?.activity.text).toBe(`Request ${requestId} is cancelled.`);
    await h.idle();
  });

  it('anything unrecognised gets the help card with examples, never silence', async () => {
    for (const text of ['make me a sandwich', 'check', 'connect contoso-apim to a/b/c']) {
      const result = await h.say(alice, personalChat(alice), text);
      expect(result.status).toBe(200);
      const card = cardOf(result.reply?.activity);
      expect(textOf(card)).toContain('check contoso-apim');
      expect(card?.body[0].color).toBe('Attention');
    }
    const help = await h.say(alice, personalChat(alice), 'help');
    expect(textOf(cardOf(help.reply?.activity))).toContain('approvals here');
  });

  it('an unknown instance is explained, with the names it knows', async () => {
    const result = await h.say(alice, personalChat(alice), 'check contoso');
    expect(result.reply?.activity.text).toMatch(/No API Management instance named contoso.*Did you mean: contoso-apim/s);
  });

  it('an ambiguous name gets a pick card, and picking carries on with the command', async () => {
    const chat = groupChat('pick');
    const result = await h.say(alice, chat, 'check payments-apim');
    const card = cardOf(result.reply?.activity);
    const choices = choicesOf(card, 'instanceId');
    expect(choices.map((c) => c.value).sort()).toEqual([instanceId('payments-apim'), instanceId('payments-apim', 'rg-apim-eu')].sort());
    const pick = actionsOf(card).find((a) => a.verb === 'pickInstance')!;
    expect(Object.keys(pick.data)).toEqual(['checkId']);

    const forged = await h.click(alice, chat, 'pickInstance', { ...pick.data, instanceId: instanceId('contoso-apim') }, result.reply!.activityId);
    expect(forged.body.value).toMatch(/not one of the choices/);

    const picked = await h.click(alice, chat, 'pickInstance', { ...pick.data, instanceId: instanceId('payments-apim') }, result.reply!.activityId);
    const options = invokeCard(picked);
    expect(textOf(options)).toContain('Outbound VNet integration for payments-apim');
    expect(actionsOf(options).map((a) => a.verb)).toEqual(['requestIntegration']);

    // Alice may not change the other one: the card says so and offers nothing.
    const other = await h.click(alice, chat, 'pickInstance', { ...pick.data, instanceId: instanceId('payments-apim', 'rg-apim-eu') }, result.reply!.activityId);
    expect(textOf(invokeCard(other))).toMatch(/requester may not change/);
    expect(actionsOf(invokeCard(other))).toEqual([]);

    const status = await h.say(alice, chat, 'status payments-apim');
    expect(actionsOf(cardOf(status.reply?.activity))[0]?.title).toBe('Show its status');
  });

  it('status in a channel: live state from Azure and the latest request; a request id shows its history', async () => {
    const team = channel('platform');
    const live = await h.say(carol, team, 'status apim-on-vnet');
    expect(live.status).toBe(200);
    expect(live.ms).toBeLessThan(1_000);
    const card = cardOf(live.reply?.activity);
    expect(textOf(card)).toContain('Integrated with hub-vnet/apim-integrated');
    expect(textOf(card)).toContain('No request for this instance yet');

    const { requestId } = await checkAndRequest(h, alice, team, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const withRequest = await h.say(carol, team, 'status contoso-apim');
    expect(textOf(cardOf(withRequest.reply?.activity))).toContain(`Latest request: ${requestId}`);
    const history = await h.say(carol, team, `status ${requestId.toLowerCase()}`);
    const historyCard = cardOf(history.reply?.activity);
    expect(textOf(historyCard)).toContain('pending · Alice');
    expect(actionsOf(historyCard)).toEqual([]);

    const listed = await h.say(carol, channel('other-channel'), 'requests');
    expect(textOf(cardOf(listed.reply?.activity))).toContain(requestId);
    const listedElsewhere = await h.say(carol, groupChat('elsewhere'), 'requests');
    expect(textOf(cardOf(listedElsewhere.reply?.activity))).not.toContain(requestId);
    await h.click(alice, team, 'cancel', { requestId }, null);
    await h.idle();
  });

  it('approvals here: only approvers, only in a channel; approval cards then go there', async () => {
    const approvals = channel('approvals', '19:team-platform@thread.tacv2');
    const refused = await h.say(carol, approvals, 'approvals here');
    expect(refused.reply?.activity.text).toMatch(/Only a configured approver/);
    const notChannel = await h.say(bob, groupChat('g'), 'approvals here');
    expect(notChannel.reply?.activity.text).toMatch(/Teams channel/);
    const set = await h.say(bob, approvals, 'approvals here');
    expect(set.reply?.activity.text).toMatch(/From now on/);

    const chat = groupChat('after-setting');
    const { requestId, result } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    expect(textOf(invokeCard(result))).toMatch(/approvals channel/);
    await approvalCard(h, approvals.id, requestId);
    await h.idle();
    expect(h.connector.messages(chat.id).some((s) => actionsOf(cardOf(s.activity)).some((a) => a.verb === 'approve'))).toBe(false);
    await h.click(alice, chat, 'cancel', { requestId }, null);
    await h.idle();
  });

  it('greets a new install with the help card', async () => {
    const before = h.connector.sent.length;
    const result = await h.post(membersAdded(h.connector.url, TENANT, personalChat(bob), bob));
    expect(result.status).toBe(200);
    expect(h.connector.sent.slice(before).some((s) => textOf(cardOf(s.activity)).includes('check contoso-apim'))).toBe(true);
  });
});
