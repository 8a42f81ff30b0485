/**
 * The policy `npm start` ships (seeds/demo-policy.yaml) on the demo estate, over /api/messages: Bob alone decides
 * contoso-apim, and may approve his own request; payments-apim needs Bob's and Dave's approvals, as the README says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approvalCard, cardOf, checkAndRequest, invokeCard, personalChat, ROOT, textOf, told, useBot } from '../support/index.js';
import { user } from '../support/teams.js';

const bot = useBot();
const seedFile = join(ROOT, 'seeds', 'demo.json');
const seed = JSON.parse(readFileSync(seedFile, 'utf8')) as { _people: Record<string, string> };
const idOf = (name: string) => Object.entries(seed._people).find(([, who]) => who.startsWith(`${name}@`))![0];
const bob = user('Bob', idOf('bob'));
const dave = user('Dave', idOf('dave'));
const SUB = '/subscriptions/189f6b01-5c3e-44f0-b915-6bbfe34712cc';
const OUTBOUND = `${SUB}/resourceGroups/rg-network-hub/providers/Microsoft.Network/virtualNetworks/hub-vnet/subnets/apim-outbound`;

describe('the demo policy', () => {
  it('payments-apim takes two approvals, Bob’s and Dave’s; contoso-apim Bob’s alone', async () => {
    const h = await bot.start({
      seed: JSON.parse(readFileSync(seedFile, 'utf8')),
      tenantId: 'dc9b782f-8a13-48e8-8e42-4909db551f7b',
      env: { APPROVAL_POLICY: join(ROOT, 'seeds', 'demo-policy.yaml') },
    });
    const chat = personalChat(bob);
    const payments = await checkAndRequest(h, bob, chat, `${SUB}/resourceGroups/rg-payments/providers/Microsoft.ApiManagement/service/payments-apim`, OUTBOUND);
    const card = await approvalCard(h, chat.id, payments.requestId);
    const first = await h.click(bob, chat, 'approve', { requestId: payments.requestId }, card.activityId);
    expect(textOf(invokeCard(first))).toContain('Bob (1 of 2). Still needed: 1 more from approvers.');

    const waiting = await h.say(dave, personalChat(dave), 'pending');
    expect(textOf(cardOf(waiting.reply?.activity))).toContain('Waiting for your decision: 1');
    await h.click(dave, personalChat(dave), 'approve', { requestId: payments.requestId }, waiting.reply!.activityId);
    expect((await told(h, chat.id, new RegExp(`${payments.requestId} is done`))).activity.text).toContain('Approved by Bob and Dave.');

    const contoso = await checkAndRequest(h, bob, chat, 'contoso-apim', `${SUB}/resourceGroups/rg-network-hub/providers/Microsoft.Network/virtualNetworks/hub-vnet/subnets/apim-dualstack`);
    const contosoCard = await approvalCard(h, chat.id, contoso.requestId);
    await h.click(bob, chat, 'approve', { requestId: contoso.requestId }, contosoCard.activityId);
    expect((await told(h, chat.id, new RegExp(`${contoso.requestId} is done`))).activity.text).toContain('Approved by Bob.');
  });
});
