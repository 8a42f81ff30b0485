/**
 * Change windows over /api/messages on the sandbox, with the bot's clock moved by the test: an approval outside the
 * window waits (through a restart) and runs at the window's start; Run now by an approver starts it at once.
 */
import { describe, expect, it } from 'vitest';
import { actionsOf, alice, approvalCard, BOB, bob, CAROL, carol, cardOf, checkAndRequest, dave, estate, FakeClock, groupChat, invokeCard, invokeMessage, policyFile, subnetId, TENANT, textOf, told, useBot } from '../support/index.js';

const bot = useBot();
const OUTBOUND = subnetId('hub-vnet', 'apim-outbound');
/** The clock starts on Wed 2024-05-01 09:00 UTC; the window opens at 18:00 in Berlin, 16:00 UTC. */
const policy = { default: { approvers: [BOB, CAROL], windows: [{ from: '18:00', to: '20:00', timeZone: 'Europe/Berlin' }] } };
const WHEN = 'Wed 2024-05-01 18:00 Europe/Berlin (16:00 UTC)';

async function startAt(clock: FakeClock) {
  return bot.start({ seed: estate(), tenantId: TENANT, clock: clock.now, env: { APPROVAL_POLICY: await policyFile(policy) } });
}

type Harness = Awaited<ReturnType<typeof startAt>>;

async function patches(h: Harness): Promise<number> {
  return (await h.armRequests()).filter((r) => r.method === 'PATCH' && r.path.includes('/service/contoso-apim') && r.status < 300).length;
}

/** Alice asks, Bob approves outside the window. */
async function approvedOutsideWindow(h: Harness, chatName: string) {
  const chat = groupChat(chatName);
  const { requestId, optionsId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
  const approval = await approvalCard(h, chat.id, requestId);
  const approved = await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
  expect(textOf(invokeCard(approved))).toContain(`Approved; it will run in the change window at ${WHEN}.`);
  await told(h, chat.id, new RegExp(`${requestId} \\(contoso-apim → hub-vnet/apim-outbound\\): Approved; it will run in the change window at ${WHEN.replace(/[()]/g, '\\$&')}\\. Approved by Bob\\.`));
  await h.idle();
  return { chat, requestId, optionsId, approval };
}

describe('an approval outside the change window', () => {
  it('waits, also through a restart, and runs at the window\'s start: one PATCH, then done', async () => {
    const clock = new FakeClock();
    const h = await startAt(clock);
    const { chat, requestId, optionsId, approval } = await approvedOutsideWindow(h, 'window');
    expect(await patches(h)).toBe(0);
    const approverCard = h.connector.latestCard(approval.activityId);
    expect(textOf(approverCard)).toContain('Approved: waits for its change window');
    expect(textOf(approverCard)).toContain('Runs at');
    expect(textOf(approverCard)).toContain(`${WHEN}, in its change window`);
    expect(textOf(approverCard)).toContain(`⏳ Waits for its change window: runs at ${WHEN}.`);
    expect(actionsOf(approverCard).map((a) => a.verb)).toEqual(['runNow']);
    const requesterCard = h.connector.latestCard(optionsId);
    expect(textOf(requesterCard)).toContain(`Approved; it will run in the change window at ${WHEN}.`);
    expect(actionsOf(requesterCard)).toEqual([]);

    const mine = await h.say(alice, chat, 'my requests');
    expect(textOf(cardOf(mine.reply?.activity))).toContain(`${requestId}** · Approved: waits for its change window`);

    await h.app.sweep();
    await h.idle();
    expect(await patches(h)).toBe(0);

    await h.restart();
    await h.idle();
    expect(await patches(h)).toBe(0);
    expect(await h.app.stores.requests.get(requestId)).toMatchObject({ state: 'approved', waitsUntil: '2024-05-01T16:00:00.000Z', apply: null });

    clock.advanceMinutes(6 * 60 + 59);
    await h.app.sweep();
    await h.idle();
    expect(await patches(h)).toBe(0);

    clock.advanceMinutes(1);
    await h.app.sweep();
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.app.sweep();
    await h.idle();
    expect(await patches(h)).toBe(1);
    expect((await h.app.stores.requests.get(requestId))?.state).toBe('succeeded');
    expect(textOf(h.connector.latestCard(approval.activityId))).toContain('Done');

    const audit = (await h.app.stores.audit.forRequest(requestId)).map((e) => `${e.from}->${e.to} ${e.at}: ${e.details ?? ''}`);
    expect(audit.find((l) => l.startsWith('pending->approved'))).toContain(`Outside its change window: it will run at ${WHEN}.`);
    expect(audit.find((l) => l.startsWith('approved->applying'))).toContain('2024-05-01T16:00:00.000Z');
  });
});

describe('a window missed while the bot was down', () => {
  it('is not made up for outside a window: the request waits for the next one and says so', async () => {
    const clock = new FakeClock();
    const h = await startAt(clock);
    const { chat, requestId, approval } = await approvedOutsideWindow(h, 'missed');

    // The bot is down from before 18:00 until 21:00 in Berlin (19:00 UTC), after the window.
    clock.advanceMinutes(10 * 60);
    await h.restart();
    const next = 'Thu 2024-05-02 18:00 Europe/Berlin (16:00 UTC)';
    await told(h, chat.id, new RegExp(`${requestId} .*: Approved; it will run in the change window at ${next.replace(/[()]/g, '\\$&')}`));
    await h.idle();
    expect(await patches(h)).toBe(0);
    expect(await h.app.stores.requests.get(requestId)).toMatchObject({ state: 'approved', waitsUntil: '2024-05-02T16:00:00.000Z' });
    expect(textOf(h.connector.latestCard(approval.activityId))).toContain(`Its change window closed before it could start: it will run at ${next}.`);

    clock.advanceMinutes(21 * 60);
    await h.app.sweep();
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();
    expect(await patches(h)).toBe(1);
  });
});

describe('Run now', () => {
  it('by an approver starts it at once, once for two clicks; a non-approver is refused; a late click is told', async () => {
    const clock = new FakeClock();
    const h = await startAt(clock);
    const { chat, requestId, approval } = await approvedOutsideWindow(h, 'run-now');

    for (const outsider of [alice, dave]) {
      const refused = await h.click(outsider, chat, 'runNow', { requestId }, approval.activityId);
      expect(invokeMessage(refused)).toBe('Only the approvers of this request can run it now. Nothing changed.');
    }
    await h.idle();
    expect(await h.app.stores.requests.get(requestId)).toMatchObject({ state: 'approved', waitsUntil: '2024-05-01T16:00:00.000Z' });

    clock.advanceMinutes(30);
    const clicks = await Promise.all([carol, bob].map((who) => h.click(who, chat, 'runNow', { requestId }, approval.activityId)));
    const texts = clicks.map((c) => textOf(invokeCard(c)));
    expect(texts.filter((t) => t.includes('Started now, before its change window.'))).toHaveLength(1);
    expect(texts.filter((t) => /Run now changed nothing/.test(t))).toHaveLength(1);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();
    expect(await patches(h)).toBe(1);

    const stored = (await h.app.stores.requests.get(requestId))!;
    const ranNow = stored.history.find((e) => e.from === 'approved' && e.to === 'approved');
    expect(ranNow).toMatchObject({ at: '2024-05-01T09:30:00.000Z', why: `Run now, before its change window at ${WHEN}.` });
    expect(['Bob', 'Carol']).toContain(ranNow?.by?.name);
    const audit = await h.app.stores.audit.forRequest(requestId);
    expect(audit.filter((e) => e.from === 'approved' && e.to === 'approved').map((e) => e.details)).toEqual([`Run now, before its change window at ${WHEN}.`]);

    const late = await h.click(carol, chat, 'runNow', { requestId }, approval.activityId);
    expect(textOf(invokeCard(late))).toContain(`Request ${requestId} is done. ${ranNow?.by?.name} ran it now at 2024-05-01 09:30 UTC. Run now changed nothing.`);
    await h.idle();
    expect(await patches(h)).toBe(1);
    expect(cardOf(approval.activity)).toBeTruthy();
  });
});
