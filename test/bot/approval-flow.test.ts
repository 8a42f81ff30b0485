import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, alice, BOB, bob, BotHarness, cardOf, carol, channel, choicesOf, estate, groupChat, instanceId, invokeCard, invokeMessage, personalChat, subnetId, TENANT, textOf } from '../support/index.js';

let h: BotHarness;

beforeAll(async () => {
  h = await BotHarness.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
});
afterAll(async () => {
  await h?.close();
});

describe('check -> request -> approve -> integrated', () => {
  it('walks the whole path in a group chat', async () => {
    const chat = groupChat('app-team');
    // Bob has spoken to the bot 1:1 before, so he can get approval cards there too.
    await h.say(bob, personalChat(bob), 'help');

    const check = await h.say(alice, chat, 'check contoso-apim');
    expect(check.status).toBe(200);
    const options = cardOf(check.reply?.activity);
    expect(options).toBeTruthy();
    const choices = choicesOf(options, 'subnetId');
    expect(choices.map((c) => c.value)).toEqual(expect.arrayContaining([subnetId('hub-vnet', 'apim-outbound'), subnetId('hub-vnet', 'apim-empty')]));
    expect(choices.map((c) => c.value)).not.toContain(subnetId('hub-vnet', 'apim-tiny'));
    expect(textOf(options)).toContain('not shown');
    const requestAction = actionsOf(options).find((a) => a.verb === 'requestIntegration');
    expect(requestAction?.data).toEqual({ checkId: expect.any(String) });

    const optionsId = check.reply!.activityId;
    const requested = await h.click(alice, chat, 'requestIntegration', { ...requestAction!.data, subnetId: subnetId('hub-vnet', 'apim-outbound') }, optionsId);
    expect(requested.status).toBe(200);
    const requesterCard = invokeCard(requested);
    expect(textOf(requesterCard)).toContain('Waiting for approval');
    const requestId = /R-[0-9A-Z]{5}/.exec(textOf(requesterCard))![0];
    expect(actionsOf(requesterCard).map((a) => a.verb)).toEqual(['cancel']);

    // The approval card goes to this group chat and to Bob's personal chat.
    const approval = await h.connector.waitFor(
      () => h.connector.messages(chat.id).find((s) => s.kind === 'post' && actionsOf(cardOf(s.activity)).some((a) => a.verb === 'approve')),
      10_000,
      'the approval card',
    );
    await h.connector.waitFor(() => h.connector.messages(personalChat(bob).id).some((s) => actionsOf(cardOf(s.activity)).some((a) => a.verb === 'approve')), 10_000, 'the approval DM');
    const approveAction = actionsOf(cardOf(approval.activity)).find((a) => a.verb === 'approve')!;
    expect(approveAction.data).toEqual({ requestId });

    const byCarol = await h.click(carol, chat, 'approve', { requestId }, approval.activityId);
    expect(invokeMessage(byCarol)).toMatch(/only the approvers of this request/i);
    const byAlice = await h.click(alice, chat, 'approve', { requestId }, approval.activityId);
    expect(invokeMessage(byAlice)).toMatch(/only the approvers of this request/i);

    const byBob = await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    expect(byBob.status).toBe(200);
    expect(byBob.ms).toBeLessThan(2_000);
    expect(textOf(invokeCard(byBob))).toMatch(/Approved|Applying/);

    const told = await h.connector.waitFor(
      () => h.connector.messages(chat.id).find((s) => s.kind === 'post' && /is done/.test(s.activity.text ?? '')),
      20_000,
      'the requester to be told',
    );
    expect(told.activity.text).toContain(requestId);
    expect(told.activity.entities?.[0]?.mentioned?.id).toBe(alice.teamsId);
    await h.idle();

    const instance = await h.armGet(instanceId('contoso-apim'));
    expect(instance.properties.virtualNetworkType).toBe('External');
    expect(instance.properties.virtualNetworkConfiguration.subnetResourceId.toLowerCase()).toBe(subnetId('hub-vnet', 'apim-outbound').toLowerCase());

    expect(textOf(h.connector.latestCard(approval.activityId))).toContain('Done');
    expect(textOf(h.connector.latestCard(optionsId))).toContain('Done');
    expect(actionsOf(h.connector.latestCard(approval.activityId))).toEqual([]);
  });
});
