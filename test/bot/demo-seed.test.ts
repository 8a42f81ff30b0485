/** A new user's first session, end to end over HTTP on the demo seed (seeds/demo.json). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSeedPath, loadSeedFile } from '../../src/sandbox/index.js';
import { actionsOf, approvalCard, BotHarness, cardOf, choicesOf, invokeCard, personalChat, textOf, told, user } from '../support/index.js';

let h: BotHarness;
let people: Record<string, string>;

function person(name: string) {
  const id = Object.entries(people).find(([, who]) => who.toLowerCase().startsWith(name))?.[0];
  if (!id) throw new Error(`The demo seed has no ${name} in _people`);
  return user(name[0]!.toUpperCase() + name.slice(1), id);
}

beforeAll(async () => {
  const seed = (await loadSeedFile(defaultSeedPath())) as unknown as { _people?: Record<string, string> };
  people = seed._people ?? {};
  h = await BotHarness.start({ seed, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', env: { APPROVER_IDS: person('bob').aadObjectId! } });
});
afterAll(async () => {
  await h?.close();
});

describe('on the demo seed', () => {
  it('alice asks, bob approves, contoso-apim is integrated', async () => {
    const alice = person('alice');
    const bob = person('bob');
    const aliceChat = personalChat(alice);
    const bobChat = personalChat(bob);
    expect(cardOf((await h.say(bob, bobChat, 'hi')).reply?.activity)).toBeTruthy();

    const help = await h.say(alice, aliceChat, 'what can you do?');
    expect(textOf(cardOf(help.reply?.activity))).toContain('check contoso-apim');

    const check = await h.say(alice, aliceChat, 'Check contoso-apim');
    const options = cardOf(check.reply?.activity);
    const choices = choicesOf(options, 'subnetId');
    expect(choices.length).toBeGreaterThan(0);
    const pick = choices.find((c) => /hub-vnet\/apim-outbound\b/.test(c.title)) ?? choices[0]!;
    const action = actionsOf(options).find((a) => a.verb === 'requestIntegration')!;
    const requested = await h.click(alice, aliceChat, 'requestIntegration', { ...action.data, subnetId: pick.value }, check.reply!.activityId);
    const requestId = /R-[0-9A-Z]{5}/.exec(textOf(invokeCard(requested)))![0];

    const approval = await approvalCard(h, bobChat.id, requestId);
    const approved = await h.click(bob, bobChat, 'approve', { requestId }, approval.activityId);
    expect(approved.ms).toBeLessThan(2_000);
    await told(h, aliceChat.id, new RegExp(`${requestId} is done`));
    await h.idle();

    const status = await h.say(alice, aliceChat, 'status contoso-apim');
    expect(textOf(cardOf(status.reply?.activity))).toMatch(/Integrated with/);
    const history = await h.say(alice, aliceChat, `status ${requestId}`);
    expect(textOf(cardOf(history.reply?.activity))).toMatch(/succeeded · the bot/);
  });

  it('the options card notes the forced tunnel and the NAT gateway; a provider the bot may not register is a blocking PROVIDER_NOT_REGISTERED', async () => {
    const alice = person('alice');
    const options = cardOf((await h.say(alice, personalChat(alice), 'check contoso-apim')).reply?.activity);
    const titles = choicesOf(options, 'subnetId').map((c) => c.title);
    expect(titles).toContain('⚠️ spoke-apps-vnet/apim-outbound-spoke · 10.20.5.0/24 · ready · forced tunnel: the firewall must allow the dependencies');
    expect(titles).toContain('⚠️ hub-vnet/apim-dualstack · 10.10.4.0/24 · ready · NAT gateway');
    const bob = person('bob');
    const ne = textOf(cardOf((await h.say(bob, personalChat(bob), 'check contoso-apim-ne')).reply?.activity));
    expect(ne).toMatch(/not registered in subscription 9b0f14d9-1808-4489-a10b-cc02f606a0a3 .*the bot may not register it: it lacks Microsoft.Web\/register\/action/);
  });

  it('an instance name used twice gets the pick card', async () => {
    const alice = person('alice');
    const result = await h.say(alice, personalChat(alice), 'check payments-apim');
    expect(choicesOf(cardOf(result.reply?.activity), 'instanceId')).toHaveLength(2);
  });
});
