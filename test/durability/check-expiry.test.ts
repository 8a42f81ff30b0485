/**
 * Check records (the server side of an options or pick-instance card) are kept CHECK_TTL_HOURS: the sweep removes
 * older ones, so their number stays bounded, and a click on a card whose record is gone or too old is answered
 * "out of date" with what to say instead.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionsOf, alice, BOB, BotHarness, cardOf, estate, FakeClock, groupChat, instanceId, invokeCard, invokeMessage, subnetId, TENANT, textOf, useBot } from '../support/index.js';

const bot = useBot();
let h: BotHarness | null = null;

const checkFiles = async () => (await readdir(join(h!.dataDir, 'checks')).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
const requestFiles = async () => readdir(join(h!.dataDir, 'requests')).catch(() => [] as string[]);

async function optionsCheck(chat: ReturnType<typeof groupChat>) {
  const check = await h!.say(alice, chat, 'check contoso-apim');
  const action = actionsOf(cardOf(check.reply?.activity)).find((a) => a.verb === 'requestIntegration')!;
  return { data: { ...action.data, subnetId: subnetId('hub-vnet', 'apim-outbound') }, activityId: check.reply!.activityId };
}

describe('check records', () => {
  it('are removed by the sweep after CHECK_TTL_HOURS; their cards then answer "out of date"; newer ones are kept and work', async () => {
    const clock = new FakeClock();
    h = await bot.start({ seed: estate(), tenantId: TENANT, clock: clock.now, env: { APPROVER_IDS: BOB, CHECK_TTL_HOURS: '24' } });
    const chat = groupChat('check-expiry');

    const options = await optionsCheck(chat);
    const picked = await h.say(alice, chat, 'check payments-apim');
    const pick = actionsOf(cardOf(picked.reply?.activity)).find((a) => a.verb === 'pickInstance')!;
    for (let i = 0; i < 20; i++) await h.say(alice, chat, i % 2 ? 'check contoso-apim' : 'check payments-apim');
    expect(await checkFiles()).toHaveLength(22);

    clock.advanceHours(23);
    await h.app.sweep();
    expect(await checkFiles()).toHaveLength(22);

    clock.advanceHours(2);
    const fresh = await optionsCheck(chat);
    await h.app.sweep();
    expect(await checkFiles()).toHaveLength(1);

    const late = await h.click(alice, chat, 'requestIntegration', options.data, options.activityId);
    expect(late.status).toBe(200);
    expect(invokeMessage(late)).toMatch(/^This card is out of date: there is no such check any more \(checks are kept 24 hours\)\. Nothing was requested; say check <instance> again/);
    const latePick = await h.click(alice, chat, 'pickInstance', { ...pick.data, instanceId: instanceId('payments-apim') }, picked.reply!.activityId);
    expect(invokeMessage(latePick)).toMatch(/^This card is out of date.*Nothing happened; say the command again/);
    expect(await requestFiles()).toEqual([]);

    const requested = await h.click(alice, chat, 'requestIntegration', fresh.data, fresh.activityId);
    expect(textOf(invokeCard(requested))).toMatch(/R-[0-9A-Z]{5}/);
    await h.idle();
  });

  it('a record past its time that the sweep has not removed yet is refused the same way, naming the instance', async () => {
    const clock = new FakeClock();
    h = await bot.start({ seed: estate(), tenantId: TENANT, clock: clock.now, env: { APPROVER_IDS: BOB, CHECK_TTL_HOURS: '2' } });
    const chat = groupChat('check-stale');
    const options = await optionsCheck(chat);
    clock.advanceHours(3);
    const late = await h.click(alice, chat, 'requestIntegration', options.data, options.activityId);
    expect(invokeMessage(late)).toBe('This card is out of date: the check is more than 2 hours old. Nothing was requested; say check contoso-apim again for a fresh one.');
    expect(await requestFiles()).toEqual([]);
  });
});
