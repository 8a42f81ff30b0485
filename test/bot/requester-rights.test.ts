import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionsOf, ALICE, alice, approvalCard, BOB, bob, BotHarness, cardOf, carol, choicesOf, estate, groupChat, instanceId, invokeCard, invokeMessage, personalChat, subnetId, TENANT, textOf, told, useBot, user } from '../support/index.js';

const OUTBOUND = subnetId('hub-vnet', 'apim-outbound');

const bot = useBot();
let h: BotHarness | null = null;

async function start(env: Record<string, string>) {
  h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB, ...env } });
  return h;
}

async function optionsFor(h: BotHarness, who: ReturnType<typeof user>, chat: ReturnType<typeof groupChat>) {
  const check = await h.say(who, chat, 'check contoso-apim');
  const card = cardOf(check.reply?.activity);
  return { card, id: check.reply!.activityId, action: actionsOf(card).find((a) => a.verb === 'requestIntegration') };
}

describe("the requester's own Azure rights", () => {
  it('enforce: somebody without rights is offered nothing and cannot use somebody else\'s card', async () => {
    const h = await start({});
    const chat = groupChat('rights');
    const forCarol = await optionsFor(h, carol, chat);
    expect(choicesOf(forCarol.card, 'subnetId')).toEqual([]);
    expect(forCarol.action).toBeUndefined();
    expect(textOf(forCarol.card)).toMatch(/requester may not change/);

    const forAlice = await optionsFor(h, alice, chat);
    const hijack = await h.click(carol, chat, 'requestIntegration', { ...forAlice.action!.data, subnetId: OUTBOUND }, forAlice.id);
    expect(invokeMessage(hijack)).toMatch(/cannot request hub-vnet\/apim-outbound for you/);
    expect(invokeMessage(hijack)).toMatch(/lacks|may not change/);
    expect(await readdir(join(h.dataDir, 'requests')).catch(() => [])).toEqual([]);

    const direct = await h.say(carol, chat, 'connect contoso-apim to hub-vnet/apim-outbound');
    expect(textOf(cardOf(direct.reply?.activity))).toMatch(/cannot be used for contoso-apim/);
  });

  it('advisory: the request goes through and the approver sees the missing rights as a warning', async () => {
    const h = await start({ REQUESTER_RBAC: 'advisory' });
    const chat = groupChat('advisory');
    const forCarol = await optionsFor(h, carol, chat);
    expect(textOf(forCarol.card)).toContain('you lack rights on it: the approver decides');
    const requested = await h.click(carol, chat, 'requestIntegration', { ...forCarol.action!.data, subnetId: OUTBOUND }, forCarol.id);
    const requestId = /R-[0-9A-Z]{5}/.exec(textOf(invokeCard(requested)))![0];
    const approval = await approvalCard(h, chat.id, requestId);
    const text = textOf(cardOf(approval.activity));
    expect(text).toMatch(/⚠️ The requester lacks permission on subnet 'apim-outbound'/);
    expect(text).toMatch(/⚠️ The requester may not change/);
    await h.idle();
  });

  it('without an Entra id from Teams: nothing is shown, and no request is made in enforce mode', async () => {
    const h = await start({});
    const anonymous = user('Guest', null);
    const chat = groupChat('guest');
    const check = await h.say(anonymous, chat, 'check contoso-apim');
    expect(textOf(cardOf(check.reply?.activity))).toMatch(/did not send your Entra identity/);
    const direct = await h.say(anonymous, chat, `connect contoso-apim to ${OUTBOUND}`);
    expect(direct.reply?.activity.text).toMatch(/Entra \(Azure AD\) identity/);
  });

  it('self-approval: refused by default, allowed (and said on the card) when ALLOW_SELF_APPROVAL is on', async () => {
    const h = await start({ APPROVER_IDS: ALICE, ALLOW_SELF_APPROVAL: 'true' });
    const chat = personalChat(alice);
    const asked = await h.say(alice, chat, `connect ${instanceId('contoso-apim')} to hub-vnet/apim-outbound`);
    const requestId = /R-[0-9A-Z]{5}/.exec(textOf(cardOf(asked.reply?.activity)))![0];
    const approval = await approvalCard(h, chat.id, requestId);
    expect(textOf(cardOf(approval.activity))).toMatch(/Self-approval is on/);
    const approved = await h.click(alice, chat, 'approve', { requestId }, approval.activityId);
    expect(textOf(invokeCard(approved))).toContain('Approved: applying');
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();
  });

  it('self-approval off: an approver cannot approve their own request', async () => {
    const h = await start({ APPROVER_IDS: `${ALICE},${BOB}` });
    const chat = groupChat('self');
    const asked = await h.say(alice, chat, 'connect contoso-apim to hub-vnet/apim-outbound');
    const requestId = /R-[0-9A-Z]{5}/.exec(textOf(cardOf(asked.reply?.activity)))![0];
    const approval = await approvalCard(h, chat.id, requestId);
    const own = await h.click(alice, chat, 'approve', { requestId }, approval.activityId);
    expect(invokeMessage(own)).toMatch(/cannot approve it yourself/);
    const byBob = await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    expect(textOf(invokeCard(byBob))).toContain('Approved: applying');
    await h.idle();
  });
});
