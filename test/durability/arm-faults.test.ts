/**
 * ARM faults during an apply, injected by the sandbox: a 429 with Retry-After, a 5xx, a throttled poll and a
 * timeout end either in success after retries (with one accepted PATCH) or in a failed request with ARM's code
 * on the card; a delegation added before a failed update is reported with how to undo it.
 */
import { describe, expect, it } from 'vitest';
import { alice, approvalCard, BOB, bob, BotHarness, checkAndRequest, estate, groupChat, instanceId, subnetId, TENANT, textOf, told, useBot } from '../support/index.js';
import { acceptedPatches, sandboxRequests } from './helpers.js';

const bot = useBot();
let h: BotHarness | null = null;

/** Requests integration of contoso-apim with `subnet`, injects `faults` and approves; returns the outcome message. */
async function approveWith(faults: Record<string, unknown>, subnet = 'apim-outbound', env: Record<string, string> = {}) {
  h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB, ARM_MAX_RETRIES: '2', ...env } });
  const chat = groupChat('faults');
  const { requestId, optionsId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', subnet));
  const approval = await approvalCard(h, chat.id, requestId);
  await h.faults(faults);
  await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
  const outcome = await told(h, chat.id, new RegExp(`${requestId} (is done|failed)`));
  await h.idle();
  const patches = (await sandboxRequests(h.sandbox.url)).filter((r) => r.method === 'PATCH').map((r) => r.status);
  return { h, requestId, text: outcome.activity.text as string, card: textOf(h.connector.latestCard(approval.activityId)), options: textOf(h.connector.latestCard(optionsId)), patches };
}

describe('ARM faults during an apply', () => {
  it('a 429 with Retry-After on the PATCH: retried after the wait, one accepted PATCH', async () => {
    const run = await approveWith({ failNext: [{ method: 'PATCH', pathContains: '/service/contoso-apim', status: 429, retryAfter: 1, count: 1 }] });
    expect(run.text).toContain('is done');
    expect(run.patches).toEqual([429, 202]);
    expect(await acceptedPatches(run.h.sandbox.url, 'contoso-apim')).toBe(1);
  });

  it('a 500 on the PATCH and a 429 while polling: retried, one accepted PATCH', async () => {
    const run = await approveWith({
      failNext: [
        { method: 'PATCH', pathContains: '/service/contoso-apim', status: 500, count: 1 },
        { method: 'GET', pathContains: '/operationsStatus/', status: 429, retryAfter: 1, count: 1 },
      ],
    });
    expect(run.text).toContain('is done');
    expect(run.patches).toEqual([500, 202]);
    const polls = (await sandboxRequests(run.h.sandbox.url)).filter((r) => r.path.includes('/operationsStatus/')).map((r) => r.status);
    expect(polls[0]).toBe(429);
  });

  it('5xx that outlast the retries: failed, with ARM\'s code on the card and nothing changed', async () => {
    const run = await approveWith({ failNext: [{ method: 'PATCH', pathContains: '/service/contoso-apim', status: 503, code: 'ServiceUnavailable', retryAfter: 0, count: 5 }] });
    expect(run.text).toMatch(/failed .*: ServiceUnavailable/);
    expect(run.card).toContain('Failed: ServiceUnavailable');
    expect(run.options).toContain('Failed: ServiceUnavailable');
    expect(run.patches).toEqual([503, 503, 503]);
    expect((await run.h.armGet(instanceId('contoso-apim'))).properties.virtualNetworkType).toBe('None');
  });

  it('ARM too slow to answer: the timeouts (after retries) end in a failed request that says so', async () => {
    const run = await approveWith({ latencyMs: 400 }, 'apim-outbound', { ARM_TIMEOUT_MS: '150' });
    expect(run.text).toMatch(/failed .*: OperationTimeout\. The bot stopped waiting for Azure/);
    expect(run.card).toContain('Failed: OperationTimeout');
    expect(await acceptedPatches(run.h.sandbox.url, 'contoso-apim')).toBe(0);
  });

  it('a delegation added before the update failed is reported, with how to undo it', async () => {
    const run = await approveWith({ failLro: false, failNext: [{ method: 'PATCH', pathContains: '/service/contoso-apim', status: 403, code: 'LinkedAuthorizationFailed', count: 1 }] }, 'apim-empty');
    expect(run.text).toContain('LinkedAuthorizationFailed');
    expect(run.text).toContain('Left in place: Subnet hub-vnet/apim-empty stays delegated to Microsoft.Web/serverFarms');
    const undo = 'az network vnet subnet update --subscription 5b6f0c55-0000-4000-8000-000000000001 -g rg-net --vnet-name hub-vnet -n apim-empty --remove delegations';
    expect(run.text).toContain(undo);
    expect(run.card).toContain('✅ Delegated subnet hub-vnet/apim-empty to Microsoft.Web/serverFarms.');
    expect(run.card).toContain(`↩️ Subnet hub-vnet/apim-empty stays delegated`);
    expect(run.card).toContain(undo);
  });

  it('a long-running update that fails: failed with the operation\'s code, nothing else to undo', async () => {
    const run = await approveWith({ failLro: true });
    expect(run.text).toContain('InjectedOperationFailure');
    expect(run.text).not.toContain('Left in place');
    expect(run.patches).toEqual([202]);
  });
});
