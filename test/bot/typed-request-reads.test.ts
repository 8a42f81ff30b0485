import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BotHarness, estate, groupChat, instanceId, TENANT, user } from '../support/index.js';

const alice = user('Alice', ALICE);

let h: BotHarness;
beforeAll(async () => {
  h = await BotHarness.start({ seed: estate(), tenantId: TENANT });
});
afterAll(async () => {
  await h?.close();
});

describe('a typed request', () => {
  it('reads the instance from ARM once', async () => {
    // Found by name (a list of the subscription's instances) or read by id: either is a read of the instance.
    const instancePath = instanceId('contoso-apim').toLowerCase();
    const isInstanceRead = (path: string) => path === instancePath || path.endsWith('/providers/microsoft.apimanagement/service');
    const instanceGets = async () => (await h.armRequests()).filter((r) => r.method === 'GET' && isInstanceRead(r.path.split('?')[0]!.toLowerCase())).length;
    const before = await instanceGets();
    const asked = await h.say(alice, groupChat('typed-reads'), 'connect contoso-apim to hub-vnet/apim-outbound');
    expect(asked.reply).toBeDefined();
    await h.idle();
    expect((await instanceGets()) - before).toBe(1);
  });
});
