import { describe, expect, it } from 'vitest';
import { alice, approvalCard, BOB, bob, BotHarness, capturedLog, cardAction, checkAndRequest, estate, groupChat, message, MULTI_TENANT_APP, OTHER_TENANT, personalChat, subnetId, TENANT, told, useBot } from '../support/index.js';

const bot = useBot();
let h: BotHarness | null = null;

describe('the front door', () => {
  it('with MicrosoftAppId set, a request without a valid Bot Framework token gets 401 and reaches no route', async () => {
    const { lines, logger } = capturedLog();
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { ...MULTI_TENANT_APP, LOG_LEVEL: 'debug' }, logger });
    const activity = message(h.connector.url, TENANT, personalChat(alice), alice, 'help');
    const missing = await h.post(activity);
    expect(missing.status).toBe(401);
    const garbage = await h.post(activity, { authorization: 'Bearer not.a.jwt-secret-value' });
    expect(garbage.status).toBe(401);
    expect(h.connector.sent).toEqual([]);
    expect(lines.join('\n')).not.toContain('not.a.jwt-secret-value');
    expect(lines.join('\n')).not.toContain(MULTI_TENANT_APP.MicrosoftAppPassword);
  });

  it('malformed JSON and bodies that are not activities get 4xx, and the server stays up', async () => {
    h = await bot.start({ seed: estate(), tenantId: TENANT });
    expect((await h.post('{"type": "message", ')).status).toBe(400);
    expect((await h.post('[1, 2, 3]')).status).toBe(400);
    expect((await h.post('42')).status).toBe(400);
    expect((await h.post({ text: 'no type' })).status).toBe(400);
    expect((await h.post({ type: 'message' })).status).toBe(400);
    const notJson = await fetch(`${h.app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(notJson.status).toBeGreaterThanOrEqual(400);
    expect(notJson.status).toBeLessThan(500);
    const huge = await h.post(JSON.stringify({ type: 'message', text: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);

    const health = await fetch(`${h.app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const still = await h.say(alice, personalChat(alice), 'help');
    expect(still.status).toBe(200);
    expect(still.reply).toBeTruthy();
  });

  it('refuses activities from tenants outside ALLOWED_TENANT_IDS', async () => {
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { ALLOWED_TENANT_IDS: TENANT } });
    const foreign = await h.say(alice, personalChat(alice), 'check contoso-apim', OTHER_TENANT);
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ code: 'TENANT_NOT_ALLOWED' });
    const foreignClick = await h.post(cardAction(h.connector.url, OTHER_TENANT, groupChat(), bob, 'approve', { requestId: 'R-00000' }, null));
    expect(foreignClick.status).toBe(403);
    const noTenant = message(h.connector.url, TENANT, personalChat(alice), alice, 'help') as Record<string, any>;
    delete noTenant.channelData;
    delete noTenant.conversation.tenantId;
    expect((await h.post(noTenant)).status).toBe(403);
    expect(h.connector.sent).toEqual([]);
    const home = await h.say(alice, personalChat(alice), 'help');
    expect(home.status).toBe(200);
    expect(home.reply).toBeTruthy();
  });

  it('logs carry no tokens, through a whole request and apply', async () => {
    const { lines, logger } = capturedLog();
    h = await bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB, LOG_LEVEL: 'debug' }, logger });
    const chat = groupChat('logs');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(h, chat.id, requestId);
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();
    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThan(10);
    expect(log).toContain('arm request');
    expect(log).not.toMatch(/bearer/i);
    expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(log).not.toMatch(/"authorization"\s*:/i);
  });
});
