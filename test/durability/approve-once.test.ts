/**
 * Exactly once in one bot process: fifty simultaneous approve clicks make one accepted PATCH; every other
 * clicker is told who approved and when; a reject racing the approvals either wins or is told it lost.
 */
import { describe, expect, it } from 'vitest';
import { alice, approvalCard, BOB, bob, checkAndRequest, DAVE, dave, estate, groupChat, type HttpResult, instanceId, invokeCard, subnetId, TENANT, textOf, told, useSharedBot } from '../support/index.js';
import { acceptedPatches, decisionTexts } from './helpers.js';

const h = useSharedBot(() => ({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: `${BOB},${DAVE}` } }));

describe('exactly-once approval in one process', () => {
  it('50 simultaneous approve clicks: one accepted PATCH, everyone else told who approved and when', async () => {
    const chat = groupChat('fifty');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(h, chat.id, requestId);
    const clicks = await Promise.all(Array.from({ length: 50 }, (_, i) => h.click(i % 2 ? dave : bob, chat, 'approve', { requestId }, approval.activityId)));
    expect(clicks.map((c) => c.status)).toEqual(Array(50).fill(200));

    const { winners, losers } = decisionTexts(clicks);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    const stored = await h.app.stores.requests.get(requestId);
    const decision = stored!.history.find((e) => e.to === 'approved')!;
    for (const text of losers) expect(text).toMatch(new RegExp(`already approved: ${decision.by!.name} approved it at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC`));

    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();
    expect(await acceptedPatches(h.sandbox.url, 'contoso-apim')).toBe(1);
    const audit = await h.app.stores.audit.forRequest(requestId);
    expect(audit.filter((e) => e.to === 'approved' && e.from === 'pending')).toHaveLength(1);
    expect(audit.filter((e) => e.armOperationId)).toHaveLength(1);
    expect(h.connector.messages(chat.id).filter((s) => new RegExp(`${requestId} is done`).test(s.activity.text ?? ''))).toHaveLength(1);
  });

  it('reject racing approve: one wins, the others are told which decision stands', async () => {
    const chat = groupChat('race');
    // Two instances share that name: the resource id says which.
    const { requestId } = await checkAndRequest(h, alice, chat, instanceId('payments-apim'), subnetId('hub-vnet', 'apim-empty'));
    const approval = await approvalCard(h, chat.id, requestId);
    const clicks: Promise<HttpResult>[] = [];
    for (let i = 0; i < 20; i++) clicks.push(h.click(i % 2 ? dave : bob, chat, i % 2 ? 'reject' : 'approve', { requestId }, approval.activityId));
    const results = await Promise.all(clicks);
    const { winners, losers } = decisionTexts(results);
    expect(winners).toHaveLength(1);
    const stored = (await h.app.stores.requests.get(requestId))!;
    const decision = stored.history.find((e) => e.from === 'pending')!;
    const verb = decision.to;
    expect(['approved', 'rejected']).toContain(verb);
    for (const text of losers) expect(text).toContain(`already ${verb}: ${decision.by!.name} ${verb} it at`);
    expect(losers.filter((t) => /Your (approval|rejection) was not recorded/.test(t))).toHaveLength(19);
    if (verb === 'rejected') {
      await told(h, chat.id, /rejected by/);
      expect(await acceptedPatches(h.sandbox.url, 'payments-apim')).toBe(0);
    } else {
      await told(h, chat.id, new RegExp(`${requestId} is done`));
      expect(await acceptedPatches(h.sandbox.url, 'payments-apim')).toBe(1);
    }
    await h.idle();
    expect(textOf(invokeCard(results[0]!))).toContain(requestId);
  });
});
