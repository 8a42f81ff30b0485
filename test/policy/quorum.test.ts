/** Approval policies over /api/messages on the sandbox: quorum, stages, a rejection mid-quorum. */
import { describe, expect, it } from 'vitest';
import { alice, approvalCard, BOB, bob, CAROL, carol, cardOf, checkAndRequest, DAVE, dave, estate, groupChat, invokeCard, invokeMessage, policyFile, subnetId, TENANT, textOf, told, useBot } from '../support/index.js';

const bot = useBot();
const OUTBOUND = subnetId('hub-vnet', 'apim-outbound');

async function startWith(policy: unknown) {
  return bot.start({ seed: estate(), tenantId: TENANT, env: { APPROVAL_POLICY: await policyFile(policy) } });
}

type Harness = Awaited<ReturnType<typeof startWith>>;

/** Alice asks for contoso-apim on hub-vnet/apim-outbound in a new group chat: the request and its approval card. */
async function requested(h: Harness, chatName: string) {
  const chat = groupChat(chatName);
  const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
  return { chat, requestId, approval: await approvalCard(h, chat.id, requestId) };
}

async function patches(h: Harness): Promise<number> {
  return (await h.armRequests()).filter((r) => r.method === 'PATCH' && r.path.includes('/service/contoso-apim') && r.status < 300).length;
}

describe('a quorum of two', () => {
  const policy = { default: { approvers: [BOB, CAROL, DAVE], quorum: 2 } };

  it('one approver clicking twice counts once; a second approver completes it and the instance is updated once', async () => {
    const h = await startWith(policy);
    const { chat, requestId, approval } = await requested(h, 'quorum');
    expect(textOf(cardOf(approval.activity))).toContain('none yet (0 of 2). Still needed: 2 more from approvers.');

    const first = await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    expect(textOf(invokeCard(first))).toContain('Your approval is recorded. Approval 1 of 2. Still needed: 1 more from approvers.');
    const again = await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    expect(invokeMessage(again)).toBe('You have approved it already; your approval counts once. Nothing changed.');
    await h.idle();
    expect(textOf(h.connector.latestCard(approval.activityId))).toContain('Bob (1 of 2). Still needed: 1 more from approvers.');
    expect(await patches(h)).toBe(0);

    await h.click(carol, chat, 'approve', { requestId }, approval.activityId);
    const done = await told(h, chat.id, new RegExp(`${requestId} is done`));
    expect(done.activity.text).toContain('Approved by Bob and Carol.');
    await h.idle();
    expect(await patches(h)).toBe(1);
    const final = textOf(h.connector.latestCard(approval.activityId));
    expect(final).toMatch(/Approved by · Bob, Carol; the last at|Approved by[\s\S]*Bob, Carol; the last at/);
    const audit = (await h.app.stores.audit.forRequest(requestId)).map((e) => `${e.from}->${e.to} ${e.actor}: ${e.details ?? ''}`);
    expect(audit.filter((l) => l.startsWith('pending->pending'))).toEqual([expect.stringContaining('Approval 1 of 2. Still needed: 1 more from approvers.')]);
    expect(audit.filter((l) => l.startsWith('pending->approved'))).toEqual([expect.stringContaining('Approval 2 of 2.')]);
  });

  it('a rejection mid-quorum ends the request: nothing is written and later approvals change nothing', async () => {
    const h = await startWith(policy);
    const { chat, requestId, approval } = await requested(h, 'reject');
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await h.click(dave, chat, 'reject', { requestId }, approval.activityId);
    const late = await h.click(carol, chat, 'approve', { requestId }, approval.activityId);
    expect(textOf(invokeCard(late))).toMatch(/already rejected: Dave rejected it/);
    await h.idle();
    expect((await h.app.stores.requests.get(requestId))?.state).toBe('rejected');
    expect(await patches(h)).toBe(0);
  });

  it('someone outside the rule cannot approve, whatever the card sends', async () => {
    const h = await startWith(policy);
    const { chat, requestId, approval } = await requested(h, 'outsider');
    const refused = await h.click(alice, chat, 'approve', { requestId, approvers: [alice.aadObjectId], quorum: 1 }, approval.activityId);
    expect(invokeMessage(refused)).toBe('Only the approvers of this request can approve it. Nothing changed.');
    expect((await h.app.stores.requests.get(requestId))?.approval?.approvals).toEqual([]);
  });
});

describe('stages', () => {
  const policy = {
    default: { approvers: [BOB] },
    rules: [
      {
        name: 'contoso',
        match: { resourceGroup: `/subscriptions/${estate().subscriptions[0]!.subscriptionId}/resourceGroups/rg-apim` },
        stages: [
          { name: 'network team', approvers: [CAROL] },
          { name: 'owners', approvers: [BOB, DAVE], quorum: 2 },
        ],
      },
    ],
  };

  it('the owners wait for the network team; the most specific rule decides; all three approvals then one update', async () => {
    const h = await startWith(policy);
    const { chat, requestId, approval } = await requested(h, 'stages');
    expect(textOf(cardOf(approval.activity))).toContain('1. network team: none yet (0 of 1); 2. owners: none yet (0 of 2). Still needed: 1 more from network team.');

    const early = await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    expect(invokeMessage(early)).toBe('It is waiting for network team first; your stage (owners) comes after. Nothing changed.');
    await h.click(carol, chat, 'approve', { requestId }, approval.activityId);
    await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await h.idle();
    expect((await h.app.stores.requests.get(requestId))?.state).toBe('pending');
    expect(await patches(h)).toBe(0);
    await h.click(dave, chat, 'approve', { requestId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();
    expect(await patches(h)).toBe(1);
    expect((await h.app.stores.requests.get(requestId))?.approval?.approvals.map((a) => [a.by.name, a.stage])).toEqual([
      ['Carol', 0],
      ['Bob', 1],
      ['Dave', 1],
    ]);
  });
});
