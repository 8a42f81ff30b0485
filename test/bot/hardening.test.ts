/**
 * Reads need the same care as writes; a chat turn never waits on ARM longer than its bound; every log line of a
 * turn carries its ids, and ARM hears the turn id.
 */
import { describe, expect, it } from 'vitest';
import { alice, approvalCard, BOB, bob, BotHarness, capturedLog, carol, checkAndRequest, estate, groupChat, MULTI_TENANT_APP, OTHER_TENANT, personalChat, subnetId, TENANT, textOf, told, useBot } from '../support/index.js';

const bot = useBot();
let h: BotHarness | null = null;

const replyText = (r: { reply?: { activity: Record<string, unknown> } }) => textOf(r.reply?.activity);

describe('who may read a request', () => {
  it('status R-… and audit R-… answer the requester, an approver and the chat where it was made; not a bystander or another tenant', async () => {
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB, ALLOWED_TENANT_IDS: TENANT } });
    const chat = groupChat('made-here');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));

    for (const command of [`status ${requestId}`, `audit ${requestId}`]) {
      expect(replyText(await h.say(alice, personalChat(alice), command))).toContain(requestId);
      expect(replyText(await h.say(bob, personalChat(bob), command))).toContain('contoso-apim');
      expect(replyText(await h.say(carol, chat, command))).toContain('contoso-apim');

      const bystander = replyText(await h.say(carol, personalChat(carol), command));
      expect(bystander).toContain(`I have no request ${requestId} that you can see`);
      expect(bystander).not.toContain('contoso-apim');
      expect(bystander).not.toContain('Alice');

      const foreign = await h.say(carol, personalChat(carol), command, OTHER_TENANT);
      expect(foreign.status).toBe(403);
      expect(foreign.reply).toBeUndefined();
    }
    // The same answer for a request that does not exist: ids cannot be probed.
    expect(replyText(await h.say(carol, personalChat(carol), 'status R-ZZZZZ'))).toContain('I have no request R-ZZZZZ that you can see');
  });

  it('status <instance> shows the live state to anyone, its latest request only to those who may read it', async () => {
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
    const chat = groupChat('made-here');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const here = replyText(await h.say(carol, chat, 'status contoso-apim'));
    expect(here).toContain(requestId);
    const elsewhere = replyText(await h.say(carol, personalChat(carol), 'status contoso-apim'));
    expect(elsewhere).toContain('Not in a virtual network');
    expect(elsewhere).not.toContain(requestId);
    expect(elsewhere).toContain('latest request was made in another chat');
  });
});

describe('ARM throttling inside a turn', () => {
  it('a 429 with Retry-After: 3600 is answered at once with when to retry, nothing stored', async () => {
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB, ARM_MAX_RETRIES: '4' } });
    await h.faults({ failNext: [{ pathContains: '/virtualNetworks', status: 429, retryAfter: 3600, count: 10 }] });
    const started = Date.now();
    const answer = await h.say(alice, personalChat(alice), 'check contoso-apim');
    const tookMs = Date.now() - started;
    expect(answer.status).toBe(200);
    const said = replyText(answer);
    expect(said).toContain('Azure is throttling requests right now');
    expect(said).toContain('60 minutes');
    // Well inside the 15 s Teams gives a turn (the probe saw over 200 s).
    expect(tookMs).toBeLessThan(10_000);
    const vnetCalls = (await h.armRequests()).filter((r) => r.path.includes('/virtualNetworks'));
    expect(vnetCalls).toHaveLength(1);
  });

  it('a Retry-After within the bound is waited for, and the check answers normally', async () => {
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { ARM_MAX_RETRIES: '4', ARM_TURN_WAIT_SECONDS: '5' } });
    await h.faults({ failNext: [{ pathContains: '/virtualNetworks', status: 429, retryAfter: 1, count: 1 }] });
    const answer = await h.say(alice, personalChat(alice), 'check contoso-apim');
    expect(replyText(answer)).toContain('apim-outbound');
    const vnetCalls = (await h.armRequests()).filter((r) => r.path.includes('/virtualNetworks') && r.path.includes('?'));
    expect(vnetCalls.map((r) => r.status).slice(0, 2)).toEqual([429, 200]);
  });

  it('an apply in the background still honours a Retry-After longer than the turn bound', async () => {
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB, ARM_MAX_RETRIES: '4', ARM_TURN_WAIT_SECONDS: '0' } });
    const chat = groupChat('throttled-apply');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(h, chat.id, requestId);
    await h.faults({ failNext: [{ method: 'PATCH', pathContains: '/service/contoso-apim', status: 429, retryAfter: 2, count: 1 }] });
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    const patches = (await h.armRequests()).filter((r) => r.method === 'PATCH' && r.path.includes('/service/contoso-apim'));
    expect(patches.map((p) => p.status)).toEqual([429, expect.any(Number)]);
    expect(new Date(patches[1]!.time).getTime() - new Date(patches[0]!.time).getTime()).toBeGreaterThanOrEqual(1_900);
  });
});

describe('the tenants a bot with an app id serves', () => {
  it('a multi-tenant app with ALLOWED_TENANT_IDS empty warns at start that every tenant is served', async () => {
    const log = capturedLog('warn');
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: MULTI_TENANT_APP, logger: log.logger });
    expect(log.messages()).toContain(
      'This multi-tenant bot serves every Entra tenant that can reach it: set ALLOWED_TENANT_IDS to the tenants it is for.',
    );
  });
});

describe('the ids of a turn', () => {
  it('every log line of a turn carries its turn id and activity id, and ARM gets the turn id as x-ms-client-request-id', async () => {
    const { lines, logger } = capturedLog();
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { LOG_LEVEL: 'debug' }, logger });
    await h.armRequests();
    await fetch(`${h.sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
    lines.length = 0;
    const answer = await h.say(alice, personalChat(alice), 'check contoso-apim');
    expect(answer.status).toBe(200);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const armLines = logged.filter((l) => l.msg === 'arm request');
    expect(armLines.length).toBeGreaterThan(3);
    const turnIds = new Set(logged.map((l) => l.turnId));
    expect(logged.filter((l) => !l.turnId).map((l) => l.msg)).toEqual([]);
    expect(turnIds.size).toBe(1);
    const [turnId] = [...turnIds];
    expect(turnId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.reply?.replyToId).toMatch(/^f:/);
    expect(new Set(logged.map((l) => l.activityId))).toEqual(new Set([answer.reply?.replyToId]));
    const arm = await h.armRequests();
    expect(arm.length).toBe(armLines.length);
    expect(new Set(arm.map((r) => (r as { clientRequestId?: string }).clientRequestId))).toEqual(new Set([turnId]));

    lines.length = 0;
    await h.say(alice, personalChat(alice), 'check contoso-apim');
    expect(lines.some((l) => (JSON.parse(l) as { msg?: string }).msg === 'turn')).toBe(true);
    const second = new Set(lines.map((l) => (JSON.parse(l) as { turnId?: string }).turnId));
    expect(second.size).toBe(1);
    expect(second.has(turnId as string)).toBe(false);
  });
});
