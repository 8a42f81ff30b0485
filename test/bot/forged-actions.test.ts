import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionsOf, ALICE, alice, approvalCard, BOB, bob, cardOf, CAROL, carol, checkAndRequest, estate, groupChat, instanceId, invokeCard, invokeMessage, subnetId, TENANT, textOf, useSharedBot } from '../support/index.js';

const h = useSharedBot(() => ({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB } }));

async function requestFiles(): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  return readdir(join(h.dataDir, 'requests')).catch(() => []);
}

describe('card actions trust only the ids they carry', () => {
  it('an unknown request id changes nothing', async () => {
    const chat = groupChat('forged-1');
    const result = await h.click(bob, chat, 'approve', { requestId: 'R-ZZZZZ' }, 'act-unknown');
    expect(result.status).toBe(200);
    expect(invokeMessage(result)).toMatch(/no request R-ZZZZZ/);
    const noId = await h.click(bob, chat, 'approve', { state: 'approved' }, null);
    expect(invokeMessage(noId)).toMatch(/no request/);
  });

  it('an unknown check id or a subnet that was not offered is refused', async () => {
    const chat = groupChat('forged-2');
    const unknown = await h.click(alice, chat, 'requestIntegration', { checkId: 'c0ffee00-0000-4000-8000-000000000000', subnetId: subnetId('hub-vnet', 'apim-outbound') }, null);
    expect(invokeMessage(unknown)).toMatch(/no such check/);
    const traversal = await h.click(alice, chat, 'requestIntegration', { checkId: '../settings', subnetId: subnetId('hub-vnet', 'apim-outbound') }, null);
    expect(invokeMessage(traversal)).toMatch(/no such check/);

    const check = await h.say(alice, chat, 'check contoso-apim');
    const action = actionsOf(cardOf(check.reply?.activity)).find((a) => a.verb === 'requestIntegration')!;
    for (const subnet of [subnetId('hub-vnet', 'apim-tiny'), subnetId('apim-hidden', 'apim-hidden', 'rg-secret'), subnetId('secret-vnet', 'apim-hidden', 'rg-secret'), '', 42]) {
      const forged = await h.click(alice, chat, 'requestIntegration', { ...action.data, subnetId: subnet }, check.reply!.activityId);
      expect(invokeMessage(forged)).toMatch(/not one of the options|Pick a subnet/);
    }
    expect(await requestFiles()).toEqual([]);
  });

  it('extra fields are ignored: the request is the check\'s instance, the clicker is the requester', async () => {
    const chat = groupChat('forged-3');
    const check = await h.say(alice, chat, 'check contoso-apim');
    const action = actionsOf(cardOf(check.reply?.activity)).find((a) => a.verb === 'requestIntegration')!;
    const result = await h.click(
      alice,
      chat,
      'requestIntegration',
      {
        ...action.data,
        subnetId: subnetId('hub-vnet', 'apim-outbound'),
        instanceId: instanceId('apim-on-vnet'),
        requester: { aadObjectId: BOB, name: 'Bob' },
        state: 'approved',
        fixes: [{ kind: 'registerProvider' }],
      },
      check.reply!.activityId,
    );
    const card = invokeCard(result);
    expect(textOf(card)).toContain('contoso-apim');
    expect(textOf(card)).not.toContain('apim-on-vnet');
    expect(textOf(card)).toContain('Waiting for approval');
    const requestId = /R-[0-9A-Z]{5}/.exec(textOf(card))![0];
    const stored = JSON.parse(await readFile(join(h.dataDir, 'requests', `${requestId}.json`), 'utf8'));
    expect(stored).toMatchObject({ state: 'pending', requester: { aadObjectId: ALICE, name: 'Alice' }, fixes: [] });
    expect(stored.instance.id).toBe(instanceId('contoso-apim'));

    // Carol forges an approval carrying an approver list and an approved state: refused.
    const approval = await approvalCard(h, chat.id, requestId);
    const forgedApprove = await h.click(carol, chat, 'approve', { requestId, approverIds: [CAROL], state: 'approved', by: BOB }, approval.activityId);
    expect(invokeMessage(forgedApprove)).toMatch(/Only the approvers of this request/);
    const still = JSON.parse(await readFile(join(h.dataDir, 'requests', `${requestId}.json`), 'utf8'));
    expect(still.state).toBe('pending');
    await h.click(alice, chat, 'cancel', { requestId }, check.reply!.activityId);
    await h.idle();
  });

  it('a request id from another card kind or an unknown verb gets a plain answer, not an error', async () => {
    const chat = groupChat('forged-4');
    const unknownVerb = await h.click(alice, chat, 'deleteEverything', { requestId: 'R-00000' }, null);
    expect(unknownVerb.status).toBe(200);
    expect(invokeMessage(unknownVerb)).toMatch(/not something I know/);
    const pick = await h.click(alice, chat, 'pickInstance', { checkId: 'c0ffee00-0000-4000-8000-000000000000', instanceId: instanceId('contoso-apim') }, null);
    expect(invokeMessage(pick)).toMatch(/do not know this card/);
  });
});
