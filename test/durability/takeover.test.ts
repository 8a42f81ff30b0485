/**
 * Taking over an applying request that has no stored poller (its process died between ARM accepting the PATCH
 * and storing the poller, or before sending it): the live instance is judged before any write. Updating
 * towards the target = watch it finish; already there = done; neither = send the update. Never a second PATCH.
 */
import { describe, expect, it } from 'vitest';
import { transition } from '../../src/requests/lifecycle.js';
import { updateWithRetry } from '../../src/requests/store/index.js';
import { alice, BOB, BotHarness, checkAndRequest, estate, groupChat, instanceId, subnetId, TENANT, told, useBot } from '../support/index.js';
import { acceptedPatches } from './helpers.js';

const OUTBOUND = subnetId('hub-vnet', 'apim-outbound');

const bot = useBot();
let h: BotHarness | null = null;

/** Leaves the request as a dead process would: applying, at the update step, with no poller stored. */
async function abandonAtUpdate(h: BotHarness, requestId: string): Promise<void> {
  const by = { teamsId: '29:bob', aadObjectId: BOB, name: 'Bob' };
  const gone = { owner: 'elsewhere/4242/dead', takenAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString() };
  await updateWithRetry(h.app.stores.requests, requestId, (r) => {
    const approved = transition(r, 'approve', { by, at: new Date() });
    const applying = approved.ok ? transition(approved.request, 'startApply', { by: null, at: new Date() }) : approved;
    if (!applying.ok) return null;
    const done = [{ step: 'recheck' as const, at: new Date().toISOString(), note: 'Eligibility re-checked.', changed: false }];
    return { ...applying.request, lease: gone, apply: { step: 'updateInstance', done, pollerState: null, pollerStep: null, failure: null, plan: [] } };
  });
}

async function patchDirectly(h: BotHarness, subnet: string): Promise<void> {
  const token = (await (await fetch(`${h.sandbox.url}/_sandbox/token?oid=${BOB}`)).json()) as { access_token: string };
  const response = await fetch(`${h.sandbox.url}${instanceId('contoso-apim')}?api-version=2024-05-01`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
    body: JSON.stringify({ properties: { virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId: subnet } } }),
  });
  expect(response.status).toBeLessThan(300);
}

describe('taking over an apply with no stored poller', () => {
  it('the update is running towards the target: watched to its end, not sent again', async () => {
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB }, sandbox: { lroSeconds: 1 } });
    const chat = groupChat('takeover-watch');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
    await abandonAtUpdate(h, requestId);
    // The PATCH the dead process sent, still running in Azure.
    await patchDirectly(h, OUTBOUND);
    await h.app.sweep();
    const message = await told(h, chat.id, new RegExp(`${requestId} is done`));
    expect(message.activity.text).toContain('nothing was sent twice');
    await h.idle();
    expect(await acceptedPatches(h.sandbox.url, 'contoso-apim')).toBe(1);
  });

  it('the instance is already on the target: done without a write', async () => {
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB }, sandbox: { lroSeconds: 0 } });
    const chat = groupChat('takeover-already');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
    await abandonAtUpdate(h, requestId);
    await patchDirectly(h, OUTBOUND);
    await h.app.sweep();
    const message = await told(h, chat.id, new RegExp(`${requestId} is done`));
    expect(message.activity.text).toContain('was already integrated with hub-vnet/apim-outbound');
    await h.idle();
    expect(await acceptedPatches(h.sandbox.url, 'contoso-apim')).toBe(1);
  });

  it('nothing was sent: the update is sent once', async () => {
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('takeover-send');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
    await abandonAtUpdate(h, requestId);
    await h.app.sweep();
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();
    expect(await acceptedPatches(h.sandbox.url, 'contoso-apim')).toBe(1);
    const audit = await h.app.stores.audit.forRequest(requestId);
    expect(audit.some((e) => /^Taken over by .* from elsewhere\/4242\/dead/.test(e.details ?? ''))).toBe(true);
  });
});
