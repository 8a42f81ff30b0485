/**
 * Requests the bot stored before the NSG dependency became configuration (when it wrote the Storage rule) still
 * apply and undo exactly what they planned, read from the file store as the old bot wrote them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isArmWrite, ALICE, alice, APIM_OPEN as OPEN, approvalCard, BOB, bob, BotHarness, cardOf, estateWithNsgGaps, groupChat, instanceId, LEGACY_STORAGE_RULE, NSG_OPEN, REQUEST_ID, TENANT, textOf, told, useBot } from '../support/index.js';

const INSTANCE = instanceId('contoso-apim');
const STORAGE_FIX = { kind: 'addStorageRule', nsgId: NSG_OPEN, rule: LEGACY_STORAGE_RULE };

const bot = useBot();
let h: BotHarness | null = null;

/** An integrate request of contoso-apim to apim-open, in the shape the bot wrote until 2026-11. */
function legacyRequest(id: string, chatId: string, state: string, apply: Record<string, unknown>) {
  const at = new Date(Date.now() - 60_000).toISOString();
  const person = { teamsId: alice.teamsId, aadObjectId: ALICE, name: 'Alice' };
  const conversation = { reference: { conversation: { id: chatId }, serviceUrl: 'http://127.0.0.1:9/' }, conversationId: chatId, type: 'groupChat', teamId: null, tenantId: TENANT };
  return {
    id,
    version: 5,
    kind: 'integrate',
    instance: {
      id: INSTANCE,
      name: 'contoso-apim',
      subscriptionId: INSTANCE.split('/')[2],
      resourceGroup: 'rg-apim',
      location: 'West Europe',
      skuName: 'StandardV2',
      virtualNetworkType: 'None',
      subnetResourceId: null,
    },
    subnetId: OPEN,
    requester: person,
    findings: [{ code: 'NSG_STORAGE_NOT_EXPLICIT', severity: 'warning', message: 'Storage is allowed only by the default rule.', fix: 'Add the rule.' }],
    fixes: [STORAGE_FIX],
    conversation,
    cards: [],
    routingNote: '',
    state,
    history: [
      { at, from: null, to: 'pending', by: person, why: null },
      { at, from: 'pending', to: 'approved', by: { teamsId: bob.teamsId, aadObjectId: BOB, name: 'Bob' }, why: null },
      ...(state === 'approved' ? [] : [{ at, from: 'approved', to: 'applying', by: null, why: null }]),
      ...(state === 'succeeded' ? [{ at, from: 'applying', to: 'succeeded', by: null, why: 'done' }] : []),
    ],
    apply,
    createdAt: at,
    updatedAt: at,
    lease: state === 'applying' ? { owner: 'a-process-that-is-gone', takenAt: at, expiresAt: at } : null,
    auditedThrough: 0,
  };
}

async function storeRequest(dataDir: string, request: { id: string }): Promise<void> {
  await mkdir(join(dataDir, 'requests'), { recursive: true });
  await writeFile(join(dataDir, 'requests', `${request.id}.json`), JSON.stringify(request, null, 2));
}

describe('a request stored with the Storage rule', () => {
  it('taken over half-way, writes the Storage rule it planned (not the rule the bot writes today), then integrates', async () => {
    const chat = groupChat('legacy-apply');
    const stored = legacyRequest('R-LGCY1', chat.id, 'applying', {
      step: 'addStorageRule',
      done: [{ step: 'recheck', at: new Date().toISOString(), note: 'Eligibility re-checked.', changed: false }],
      pollerState: null,
      pollerStep: null,
      failure: null,
      plan: [STORAGE_FIX],
    });
    h = await bot.start({
      seed: estateWithNsgGaps({ aliceOnGroup: true }),
      tenantId: TENANT,
      env: { APPROVER_IDS: BOB },
      prepareDataDir: (dir) => storeRequest(dir, stored),
    });
    await h.app.sweep();
    await h.idle();
    const done = await h.storedRequest('R-LGCY1');
    expect(done.state).toBe('succeeded');
    expect(done.apply.done.map((d: any) => [d.step, d.item ?? null, d.changed])).toEqual([
      ['recheck', null, false],
      ['addDependencyRules', 'AllowApimStorageOutbound', true],
      ['updateInstance', null, true],
    ]);
    const rules = (await h.armGet(NSG_OPEN)).properties.securityRules;
    expect(rules.map((r: any) => r.name).sort()).toEqual(['AllowApimStorageOutbound', 'allow-https-in']);
    expect(rules.find((r: any) => r.name === 'AllowApimStorageOutbound').properties.destinationAddressPrefix).toBe('Storage');
    expect((await h.armGet(INSTANCE)).properties.virtualNetworkConfiguration.subnetResourceId).toBe(OPEN);
  });

  it('succeeded long ago, is undone by a disconnect today: the Storage rule it added is removed, and only that', async () => {
    const seed = estateWithNsgGaps({ aliceOnGroup: true });
    const resources = seed.resources as any[];
    // Azure as the old bot left it: the Storage rule in nsg-open, the instance integrated with apim-open.
    resources.find((r) => r.id === NSG_OPEN).properties.securityRules.push({ name: 'AllowApimStorageOutbound', properties: { ...LEGACY_STORAGE_RULE, name: undefined, description: undefined } });
    const instance = resources.find((r) => r.id === INSTANCE);
    instance.properties.virtualNetworkType = 'External';
    instance.properties.virtualNetworkConfiguration = { subnetResourceId: OPEN };
    const subnet = resources.find((r) => r.name === 'hub-vnet').properties.subnets.find((s: any) => s.id === OPEN);
    subnet.properties.serviceAssociationLinks = [
      { name: 'apim-link', id: `${OPEN}/serviceAssociationLinks/apim-link`, properties: { linkedResourceType: 'Microsoft.ApiManagement/service', link: INSTANCE } },
    ];
    const chat = groupChat('legacy-undo');
    const at = new Date().toISOString();
    const stored = legacyRequest('R-LGCY2', chat.id, 'succeeded', {
      step: 'done',
      done: [
        { step: 'recheck', at, note: 'Eligibility re-checked.', changed: false },
        { step: 'addStorageRule', at, note: "Added rule 'AllowApimStorageOutbound'.", changed: true },
        { step: 'updateInstance', at, note: 'contoso-apim is now integrated.', changed: true },
      ],
      pollerState: null,
      pollerStep: null,
      failure: null,
      plan: [STORAGE_FIX],
    });
    h = await bot.start({ seed, tenantId: TENANT, env: { APPROVER_IDS: BOB }, prepareDataDir: (dir) => storeRequest(dir, stored) });

    const reply = await h.say(alice, chat, 'disconnect contoso-apim');
    const undoId = REQUEST_ID.exec(textOf(cardOf(reply.reply?.activity)))![0];
    const approval = await approvalCard(h, chat.id, undoId);
    expect(textOf(cardOf(approval.activity))).toContain(
      `Delete rule AllowApimStorageOutbound from network security group nsg-open (added by the bot for R-LGCY2), unless the NSG serves other subnets by then.`,
    );
    await fetch(`${h.sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
    await h.click(bob, chat, 'approve', { requestId: undoId }, approval.activityId);
    await told(h, chat.id, new RegExp(`${undoId} is done`));
    await h.idle();
    const writes = (await h.armRequests()).filter((r) => isArmWrite(r)).map((r) => `${r.method} ${r.path.split('?')[0]!.split('/').slice(-2).join('/')}`);
    expect(writes).toEqual(['PATCH service/contoso-apim', 'DELETE securityRules/AllowApimStorageOutbound']);
    expect((await h.armGet(NSG_OPEN)).properties.securityRules.map((r: any) => r.name)).toEqual(['allow-https-in']);
  });
});
