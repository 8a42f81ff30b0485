/**
 * Time-driven outcomes, with the bot's clock moved by the test: one reminder to approvers halfway to expiry,
 * expiry after REQUEST_TTL_HOURS with every card updated, and no request left approved or applying past
 * APPLY_DEADLINE_MINUTES (judged on the live instance first).
 */
import { describe, expect, it } from 'vitest';
import { transition } from '../../src/requests/lifecycle.js';
import { updateWithRetry } from '../../src/requests/store/index.js';
import { actionsOf, ALICE, alice, approvalCard, BOB, bob, BotHarness, cardOf, checkAndRequest, estate, FakeClock, groupChat, instanceId, invokeCard, subnetId, TENANT, textOf, told, useBot } from '../support/index.js';
import { acceptedPatches } from './helpers.js';

const bot = useBot();
let h: BotHarness | null = null;

describe('expiry and reminders', () => {
  it('reminds approvers once halfway, then expires the request and updates every card', async () => {
    const clock = new FakeClock();
    h = await bot.start({ seed: estate(), tenantId: TENANT, clock: clock.now, env: { APPROVER_IDS: BOB, REQUEST_TTL_HOURS: '48' } });
    const chat = groupChat('expiry');
    const { requestId, optionsId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(h, chat.id, requestId);
    expect(textOf(cardOf(approval.activity))).toContain('Expires');
    expect(textOf(cardOf(approval.activity))).toContain('2024-05-03 09:00 UTC');
    const reminders = () => h!.connector.messages(chat.id).filter((s) => /Reminder: request/.test(s.activity.text ?? ''));

    clock.advanceHours(23);
    await h.app.sweep();
    expect(reminders()).toHaveLength(0);

    clock.advanceHours(2);
    await h.app.sweep();
    await h.app.sweep();
    await h.idle();
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]!.activity.text).toContain(`${requestId} (contoso-apim → hub-vnet/apim-outbound) from Alice has waited 25 hours`);
    expect(reminders()[0]!.activity.text).toContain('expires at 2024-05-03 09:00 UTC');

    clock.advanceHours(24);
    await h.app.sweep();
    await told(h, chat.id, new RegExp(`${requestId} \\(.*\\) expired without a decision`));
    await h.idle();
    for (const card of [approval.activityId, optionsId]) {
      expect(textOf(h.connector.latestCard(card))).toContain('Expired');
      expect(actionsOf(h.connector.latestCard(card))).toEqual([]);
    }
    await h.app.sweep();
    await h.idle();
    expect(reminders()).toHaveLength(1);
    expect(h.connector.messages(chat.id).filter((s) => /expired without a decision/.test(s.activity.text ?? ''))).toHaveLength(1);

    const late = await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    expect(textOf(invokeCard(late))).toMatch(/has expired. Nothing changed/);
    const audit = await h.app.stores.audit.forRequest(requestId);
    expect(audit.map((e) => `${e.from}>${e.to}:${e.actor}`)).toEqual([`null>pending:Alice (${ALICE})`, 'pending>pending:bot', 'pending>expired:bot']);
    expect(audit[1]!.details).toMatch(/^Reminder 1 sent to approvers in 1 conversation/);
  });
});

describe('the apply deadline', () => {
  it('ends approved or applying requests nobody finished: failed when the instance is not on target, done when it is', async () => {
    const clock = new FakeClock();
    h = await bot.start({ seed: estate(), tenantId: TENANT, clock: clock.now, env: { APPROVER_IDS: BOB, APPLY_DEADLINE_MINUTES: '120' } });
    const store = h.app.stores.requests;
    const chat = groupChat('deadline');
    const stuck = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const done = await checkAndRequest(h, alice, chat, instanceId('payments-apim'), subnetId('hub-vnet', 'apim-outbound'));
    await approvalCard(h, chat.id, done.requestId);

    // A process approved both and died: one before it started, one while it was applying.
    const gone = { owner: 'elsewhere/4242/dead', takenAt: clock.now().toISOString(), expiresAt: new Date(clock.now().getTime() + 60_000).toISOString() };
    const by = { teamsId: bob.teamsId, aadObjectId: BOB, name: 'Bob' };
    await updateWithRetry(store, stuck.requestId, (r) => {
      const moved = transition(r, 'approve', { by, at: clock.now() });
      return moved.ok ? { ...moved.request, lease: gone } : null;
    });
    await updateWithRetry(store, done.requestId, (r) => {
      const approved = transition(r, 'approve', { by, at: clock.now() });
      const applying = approved.ok ? transition(approved.request, 'startApply', { by: null, at: clock.now() }) : approved;
      return applying.ok
        ? { ...applying.request, lease: gone, apply: { step: 'updateInstance', done: [], pollerState: null, pollerStep: null, failure: null, plan: [] } }
        : null;
    });
    // Meanwhile the second update was made in Azure.
    const token = (await (await fetch(`${h.sandbox.url}/_sandbox/token?oid=${BOB}`)).json()) as { access_token: string };
    const patched = await fetch(`${h.sandbox.url}${instanceId('payments-apim')}?api-version=2024-05-01`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
      body: JSON.stringify({ properties: { virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId: subnetId('hub-vnet', 'apim-outbound') } } }),
    });
    expect(patched.status).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 400));

    clock.advanceMinutes(121);
    await h.app.sweep();
    const failed = await told(h, chat.id, new RegExp(`${stuck.requestId} failed`));
    expect(failed.activity.text).toContain('ApplyDeadlineExceeded');
    expect(failed.activity.text).toContain('within 120 minutes of the approval');
    await told(h, chat.id, new RegExp(`${done.requestId} is done`));
    await h.idle();
    expect((await store.get(stuck.requestId))?.state).toBe('failed');
    expect((await store.get(done.requestId))?.apply?.done.at(-1)?.note).toContain('found so when the deadline passed');
    expect(textOf(h.connector.latestCard(stuck.optionsId))).toContain('Failed: ApplyDeadlineExceeded');
    // Nothing was sent by the bot: the only PATCH is the one made directly.
    expect(await acceptedPatches(h.sandbox.url, 'contoso-apim')).toBe(0);
    expect(await acceptedPatches(h.sandbox.url, 'payments-apim')).toBe(1);
    expect(await store.listByState(['approved', 'applying'])).toEqual([]);
  });
});
