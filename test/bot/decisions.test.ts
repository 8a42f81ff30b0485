import { describe, expect, it } from 'vitest';
import { actionsOf, alice, approvalCard, BOB, bob, carol, checkAndRequest, DAVE, dave, estate, groupChat, instanceId, invokeCard, invokeMessage, subnetId, TENANT, textOf, told, useSharedBot } from '../support/index.js';

const OUTBOUND = subnetId('hub-vnet', 'apim-outbound');

const h = useSharedBot(() => ({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: `${BOB},${DAVE}` } }));

async function patchesOf(name: string): Promise<number> {
  return (await h.armRequests()).filter((r) => r.method === 'PATCH' && r.path.toLowerCase().includes(`/service/${name}`)).length;
}

describe('decisions on a request', () => {
  it('reject: the requester is told why, cards are updated, Azure is untouched', async () => {
    const chat = groupChat('reject');
    const { requestId, optionsId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
    const approval = await approvalCard(h, chat.id, requestId);
    const rejected = await h.click(bob, chat, 'reject', { requestId, reason: 'Use the spoke VNet instead' }, approval.activityId);
    expect(textOf(invokeCard(rejected))).toContain('Rejected');
    const message = await told(h, chat.id, /rejected by Bob/);
    expect(message.activity.text).toContain('Use the spoke VNet instead');
    await h.idle();
    expect(textOf(h.connector.latestCard(optionsId))).toContain('Rejected');
    expect(actionsOf(h.connector.latestCard(approval.activityId))).toEqual([]);
    expect(await patchesOf('contoso-apim')).toBe(0);

    const again = await h.click(dave, chat, 'approve', { requestId }, approval.activityId);
    expect(textOf(invokeCard(again))).toMatch(/already rejected/i);
    expect(await patchesOf('contoso-apim')).toBe(0);
  });

  it('cancel: only the requester may, from the card or by text', async () => {
    const chat = groupChat('cancel');
    const { requestId, optionsId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
    const byCarol = await h.click(carol, chat, 'cancel', { requestId }, optionsId);
    expect(invokeMessage(byCarol)).toMatch(/Only Alice/);
    const byText = await h.say(carol, chat, `cancel ${requestId}`);
    expect(byText.reply?.activity.text).toMatch(/Only Alice/);

    const cancelled = await h.click(alice, chat, 'cancel', { requestId }, optionsId);
    expect(textOf(invokeCard(cancelled))).toContain('Cancelled');
    expect(actionsOf(invokeCard(cancelled))).toEqual([]);
    const approval = await approvalCard(h, chat.id, requestId);
    await h.idle();
    expect(textOf(h.connector.latestCard(approval.activityId))).toContain('Cancelled');
    const late = await h.click(bob, chat, 'approve', { requestId }, approval.activityId);
    expect(textOf(invokeCard(late))).toMatch(/already cancelled/i);

    const { requestId: second } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
    const textCancel = await h.say(alice, chat, `please cancel ${second.toLowerCase()}`);
    expect(textCancel.reply?.activity.text).toBe(`Request ${second} is cancelled.`);
    await h.idle();
  });

  it('two approvals at once make one update', async () => {
    const chat = groupChat('twice');
    const { requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', OUTBOUND);
    const approval = await approvalCard(h, chat.id, requestId);
    const [first, second] = await Promise.all([
      h.click(bob, chat, 'approve', { requestId }, approval.activityId),
      h.click(dave, chat, 'approve', { requestId }, approval.activityId),
    ]);
    const texts = [textOf(invokeCard(first)), textOf(invokeCard(second))];
    expect(texts.filter((t) => /already/i.test(t))).toHaveLength(1);
    await told(h, chat.id, new RegExp(`${requestId} is done`));
    await h.idle();
    expect(await patchesOf('contoso-apim')).toBe(1);
    const instance = await h.armGet(instanceId('contoso-apim'));
    expect(instance.properties.virtualNetworkType).toBe('External');

    const dup = await h.say(alice, chat, 'requests');
    expect(textOf(dup.reply?.activity)).not.toContain(requestId);
  });

  it('one open request per instance: a second one is refused', async () => {
    const chat = groupChat('dup');
    await h.say(alice, chat, 'check payments-apim');
    const target = subnetId('hub-vnet', 'apim-empty');
    const first = await h.say(alice, chat, `connect ${instanceId('payments-apim')} to hub-vnet/apim-empty`);
    expect(textOf(first.reply?.activity)).toMatch(/Waiting for approval/);
    const second = await h.say(alice, chat, `connect ${instanceId('payments-apim')} to ${target}`);
    expect(second.reply?.activity.text).toMatch(/already open/);
    const listed = await h.say(alice, chat, 'requests');
    expect(textOf(listed.reply?.activity)).toContain('payments-apim');
    await h.idle();
  });
});
