/**
 * A bot process killed (SIGKILL) while ARM carries out one of the NSG fixes of an approved request (issue 6): the
 * next process resumes the stored poller of that write instead of sending it again, carries out the fixes still
 * to do and integrates the instance. Every write reaches ARM once; what the bot made is recorded for undo.
 *   - apim-no-nsg (no NSG, undelegated): createNsg, attachNsg, addDelegation, then the PATCH; killed during the
 *     association.
 *   - apim-open (NSG nsg-open without an outbound rule of its own): the optional AzureKeyVault rule, then the PATCH;
 *     killed during PUT securityRules.
 * Runs the built bot and a standalone sandbox (`npm test` builds first).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { armOperationIdOf } from '../../src/azure/long-running.js';
import { silentLogger } from '../../src/log.js';
import { openStores, type Stores } from '../../src/requests/store/index.js';
import type { ApplyStep, IntegrationRequest } from '../../src/requests/request.js';
import { isArmWrite, actionsOf, alice, APIM_NO_NSG as NO_NSG, APIM_OPEN as OPEN, approvalCard, BOB, bob, BotClient, cardOf, type Chat, checkAndRequest, type ChildServer, estateWithNsgGaps, eventually, groupChat, instanceId, NSG_OPEN as OPEN_NSG, REQUEST_ID, rg, startBotProcess, startSandboxProcess, TENANT, textOf, useBotProcesses, vnetId } from '../support/index.js';
import { sandboxRequests, type SandboxRequest } from './helpers.js';

const NSG_TYPE = 'providers/Microsoft.Network/networkSecurityGroups';
const NEW_NSG = `${rg('rg-net')}/${NSG_TYPE}/nsg-apim-contoso-apim-outbound`;
const INSTANCE = instanceId('contoso-apim');

/** Long enough that a write is still running when the bot is killed and when the next one starts. */
const LRO_SECONDS = 4;
/** Four writes of LRO_SECONDS each, a restart, and slack for a loaded machine. */
const FINISH_MS = 60_000;

const bots = useBotProcesses();

/** The writes ARM received, as "METHOD type/name" (e.g. "PUT subnets/apim-no-nsg"), with their statuses. */
function writesOf(log: SandboxRequest[]): { write: string; status: number }[] {
  return log
    .filter((r) => isArmWrite(r))
    .map((r) => ({ write: `${r.method} ${r.path.split('?')[0]!.split('/').slice(-2).join('/')}`, status: r.status }));
}

/** A resource as the sandbox stores it (read through /_sandbox, which is not in the request log). */
async function stored(sandboxUrl: string, id: string): Promise<any> {
  const response = await fetch(`${sandboxUrl}/_sandbox/resources${id}`);
  expect(response.status, `GET /_sandbox/resources${id}`).toBe(200);
  return response.json();
}

async function storedSubnet(sandboxUrl: string, id: string): Promise<any> {
  const vnet = await stored(sandboxUrl, vnetId('hub-vnet'));
  return vnet.properties.subnets.find((s: any) => s.id.toLowerCase() === id.toLowerCase());
}

/** Starts the sandbox (long-running writes of LRO_SECONDS) and the first bot on a fresh DATA_DIR. */
async function startAll(name: string) {
  const dir = await bots.tempDir(`apim-${name}-`);
  const sandbox = await startSandboxProcess(estateWithNsgGaps(), join(dir, 'seed.json'), { lroSeconds: LRO_SECONDS });
  bots.children.push(sandbox);
  const env: Record<string, string> = { ARM_ENDPOINT: sandbox.url, APPROVER_IDS: BOB, LEASE_SECONDS: '3', DATA_DIR: join(dir, 'data') };
  bots.stores = await openStores({ kind: 'file', dataDir: env.DATA_DIR! }, { owner: false, logger: silentLogger });
  const first = await startBotProcess(env);
  bots.children.push(first);
  return { sandbox, env, first, client: new BotClient(first.url, bots.connector, TENANT) };
}

async function approve(client: BotClient, chat: Chat, requestId: string) {
  const approval = await approvalCard(client, chat.id, requestId);
  await client.click(bob, chat, 'approve', { requestId }, approval.activityId);
  return approval;
}

/**
 * Waits until ARM has accepted the write of `step` and its poller state is stored (what a restart resumes from),
 * then kills the bot with SIGKILL. Returns the request as stored then and how much of the request log was there.
 */
async function killDuring(step: ApplyStep, requestId: string, bot: ChildServer, sandboxUrl: string) {
  const inFlight = await eventually(
    async () => {
      const r = await bots.stores!.requests.get(requestId);
      return r?.apply?.pollerStep === step && r.apply.pollerState ? r : null;
    },
    `the stored poller of ${step}`,
    FINISH_MS,
  );
  await bot.kill('SIGKILL');
  const log = await sandboxRequests(sandboxUrl);
  return { inFlight, logBefore: log.length, writesBefore: writesOf(log) };
}

/** After the restart: the request succeeded, and the requester is told once that it is done. */
async function finished(client: BotClient, chat: Chat, requestId: string): Promise<IntegrationRequest> {
  const doneText = new RegExp(`${requestId} is done`);
  await client.connector.waitFor(
    () => client.connector.messages(chat.id).find((s) => s.kind === 'post' && doneText.test(s.activity.text ?? '')),
    FINISH_MS,
    `a message matching ${doneText} in ${chat.id}`,
  );
  const request = await eventually(
    async () => {
      const r = await bots.stores!.requests.get(requestId);
      return r?.state === 'succeeded' ? r : null;
    },
    'the request to succeed',
    FINISH_MS,
  );
  expect(bots.connector.messages(chat.id).filter((s) => doneText.test(s.activity.text ?? ''))).toHaveLength(1);
  return request;
}

/** The ARM operation of the stored poller was polled (GET on its status URL) by the process that took over. */
function polledAfterRestart(log: SandboxRequest[], logBefore: number, pollerState: string): SandboxRequest[] {
  const operation = armOperationIdOf(pollerState);
  expect(operation, `operation id in ${pollerState}`).toBeTruthy();
  return log.slice(logBefore).filter((r) => r.method === 'GET' && r.path.split('?')[0]!.endsWith(`/${operation}`));
}

const ALL_NO_NSG_WRITES = ['PUT networkSecurityGroups/nsg-apim-contoso-apim-outbound', 'PUT subnets/apim-no-nsg', 'PUT subnets/apim-no-nsg', 'PATCH service/contoso-apim'];

/** The note each fix records when its write was carried out (sent, or resumed after a restart). */
const DONE_NOTES: Partial<Record<ApplyStep, RegExp>> = {
  createNsg: /^Created network security group nsg-apim-contoso-apim-outbound with /,
  attachNsg: /^Associated network security group nsg-apim-contoso-apim-outbound with subnet hub-vnet\/apim-no-nsg\.$/,
  addDelegation: /^Delegated subnet hub-vnet\/apim-no-nsg to Microsoft\.Web\/serverFarms\.$/,
  addDependencyRules: /^Added .*AllowApimAzureKeyVaultOutbound.* of network security group nsg-open\.$/,
};

// Killed during the association (the NSG created before it, the delegation after): the creation and the delegation
// are resumed the same way, and new-subnet-restart and restart already kill during those writes.
describe.each<{ step: ApplyStep; acceptedBefore: number; resource: string }>([{ step: 'attachNsg', acceptedBefore: 2, resource: NO_NSG }])('a bot killed while fixing a subnet without an NSG, during $step', ({ step, acceptedBefore, resource }) => {
  it('is finished by the next process: each write sent once, the subnet has the NSG and the delegation, the NSG is recorded', async () => {
    const { sandbox, env, first, client } = await startAll(`nsg-fix-restart-${step}`);
    const chat = groupChat(`nsg-fix-restart-${step}`);
    const { requestId } = await checkAndRequest(client, alice, chat, 'contoso-apim', NO_NSG);
    expect((await bots.stores!.requests.get(requestId))?.fixes.map((f) => f.kind)).toEqual(['createNsg', 'attachNsg', 'addDelegation']);
    await approve(client, chat, requestId);

    const { inFlight, logBefore, writesBefore } = await killDuring(step, requestId, first, sandbox.url);
    // The write was accepted by ARM (once) and is still running when the bot dies; nothing after it was sent.
    expect(inFlight.state).toBe('applying');
    expect(writesBefore.map((w) => w.write)).toEqual(ALL_NO_NSG_WRITES.slice(0, acceptedBefore));
    expect(writesBefore.every((w) => w.status >= 200 && w.status < 300), JSON.stringify(writesBefore)).toBe(true);
    const running = resource === NEW_NSG ? await stored(sandbox.url, NEW_NSG) : await storedSubnet(sandbox.url, NO_NSG);
    expect(running.properties.provisioningState).toBe('Updating');
    expect(inFlight.apply?.done.map((d) => d.step)).toEqual(['recheck', ...(['createNsg', 'attachNsg', 'addDelegation'] as const).slice(0, acceptedBefore - 1)]);

    const second = await startBotProcess(env);
    bots.children.push(second);
    const done = await finished(new BotClient(second.url, bots.connector, TENANT), chat, requestId);

    // Exactly one write of each kind in total: the second process polled the stored operation instead of writing again.
    const log = await sandboxRequests(sandbox.url);
    const writes = writesOf(log);
    expect(writes.map((w) => w.write)).toEqual(ALL_NO_NSG_WRITES);
    expect(writes.every((w) => w.status >= 200 && w.status < 300), JSON.stringify(writes)).toBe(true);
    expect(polledAfterRestart(log, logBefore, inFlight.apply!.pollerState!).length).toBeGreaterThan(0);

    // Azure: the NSG with the AzureKeyVault rule, associated with the delegated subnet; the instance integrated.
    const nsg = await stored(sandbox.url, NEW_NSG);
    expect(nsg.properties.provisioningState).toBe('Succeeded');
    const rule = nsg.properties.securityRules.find((r: any) => r.name === 'AllowApimAzureKeyVaultOutbound');
    expect(rule?.properties).toMatchObject({ direction: 'Outbound', access: 'Allow', protocol: 'Tcp', destinationPortRange: '443', destinationAddressPrefix: 'AzureKeyVault', priority: 100 });
    const subnet = await storedSubnet(sandbox.url, NO_NSG);
    expect(subnet.properties.provisioningState).toBe('Succeeded');
    expect(subnet.properties.networkSecurityGroup?.id?.toLowerCase()).toBe(NEW_NSG.toLowerCase());
    expect((subnet.properties.delegations ?? []).map((d: any) => d.properties?.serviceName ?? d.serviceName)).toEqual(['Microsoft.Web/serverFarms']);
    const instance = await stored(sandbox.url, INSTANCE);
    expect(instance.properties.provisioningState).toBe('Succeeded');
    expect(instance.properties.virtualNetworkType).toBe('External');
    expect(instance.properties.virtualNetworkConfiguration?.subnetResourceId?.toLowerCase()).toBe(NO_NSG.toLowerCase());

    // The stored request: the created NSG (for undo), every step done once and marked as a change.
    expect(done.apply?.created?.map((c) => [c.type, c.id.toLowerCase()])).toEqual([['networkSecurityGroup', NEW_NSG.toLowerCase()]]);
    expect(done.apply?.done.map((d) => `${d.step}:${String(d.changed)}`)).toEqual([
      'recheck:false',
      'createNsg:true',
      'attachNsg:true',
      'addDelegation:true',
      'updateInstance:true',
    ]);
    for (const fix of ['createNsg', 'attachNsg', 'addDelegation'] as const) {
      expect(done.apply?.done.find((d) => d.step === fix)?.note).toMatch(DONE_NOTES[fix]!);
    }
    expect(done.apply?.pollerState ?? null).toBeNull();
    expect(done.lease ?? null).toBeNull();

    const audit = await bots.stores!.audit.forRequest(requestId);
    expect(audit.filter((e) => /^Taken over by /.test(e.details ?? '')).map((e) => e.details)).toEqual([
      expect.stringMatching(new RegExp(`^Taken over by .*/${second.pid}/.* from .*/${first.pid}/.*resuming after step "${step}"`)),
    ]);
    await second.kill('SIGTERM');
  }, 120_000);
});

describe('a bot killed while adding the optional dependency rule to an existing NSG', () => {
  it('is finished by the next process: one PUT securityRules, one PATCH, and the rule is there', async () => {
    const { sandbox, env, first, client } = await startAll('dependency-rule-restart');
    const chat = groupChat('dependency-rule-restart');
    const check = await client.say(alice, chat, 'check contoso-apim');
    const options = cardOf(check.reply?.activity);
    expect(JSON.stringify(options).includes('"id":"addDependencyRules"'), textOf(options)).toBe(true);
    const action = actionsOf(options).find((a) => a.verb === 'requestIntegration')!;
    const result = await client.click(alice, chat, 'requestIntegration', { ...action.data, subnetId: OPEN, addDependencyRules: 'true' }, check.reply!.activityId);
    const requestId = REQUEST_ID.exec(JSON.stringify(result.body))?.[0];
    expect(requestId, JSON.stringify(result.body)).toBeTruthy();
    expect((await bots.stores!.requests.get(requestId!))?.fixes.map((f) => f.kind)).toEqual(['addDependencyRules']);
    await approve(client, chat, requestId!);

    const { inFlight, logBefore, writesBefore } = await killDuring('addDependencyRules', requestId!, first, sandbox.url);
    expect(inFlight.state).toBe('applying');
    expect(writesBefore).toEqual([{ write: 'PUT securityRules/AllowApimAzureKeyVaultOutbound', status: expect.any(Number) }]);
    expect(writesBefore[0]!.status).toBeGreaterThanOrEqual(200);
    expect(writesBefore[0]!.status).toBeLessThan(300);
    expect((await stored(sandbox.url, OPEN_NSG)).properties.provisioningState).toBe('Updating');

    const second = await startBotProcess(env);
    bots.children.push(second);
    const done = await finished(new BotClient(second.url, bots.connector, TENANT), chat, requestId!);

    const log = await sandboxRequests(sandbox.url);
    const writes = writesOf(log);
    expect(writes.map((w) => w.write)).toEqual(['PUT securityRules/AllowApimAzureKeyVaultOutbound', 'PATCH service/contoso-apim']);
    expect(writes.every((w) => w.status >= 200 && w.status < 300), JSON.stringify(writes)).toBe(true);
    expect(polledAfterRestart(log, logBefore, inFlight.apply!.pollerState!).length).toBeGreaterThan(0);

    const nsg = await stored(sandbox.url, OPEN_NSG);
    expect(nsg.properties.provisioningState).toBe('Succeeded');
    expect(nsg.properties.securityRules.map((r: any) => r.name).sort()).toEqual(['AllowApimAzureKeyVaultOutbound', 'allow-https-in']);
    const rule = nsg.properties.securityRules.find((r: any) => r.name === 'AllowApimAzureKeyVaultOutbound');
    expect(rule.properties).toMatchObject({ direction: 'Outbound', access: 'Allow', protocol: 'Tcp', destinationPortRange: '443', destinationAddressPrefix: 'AzureKeyVault', priority: 100 });
    const instance = await stored(sandbox.url, INSTANCE);
    expect(instance.properties.virtualNetworkConfiguration?.subnetResourceId?.toLowerCase()).toBe(OPEN.toLowerCase());

    // Recorded as a change, so a disconnect deletes the rule again.
    expect(done.apply?.done.map((d) => `${d.step}:${String(d.changed)}`)).toEqual(['recheck:false', 'addDependencyRules:true', 'updateInstance:true']);
    expect(done.apply?.done.find((d) => d.step === 'addDependencyRules')?.note).toMatch(DONE_NOTES.addDependencyRules!);
    expect(done.apply?.created ?? []).toEqual([]);
    await second.kill('SIGTERM');
  }, 120_000);
});

describe('a bot killed after ARM accepted the association, before it stored the poller', () => {
  it('the next process finds the NSG associated and counts it as this request\'s change (so a disconnect undoes it)', async () => {
    const { sandbox, env, first, client } = await startAll('nsg-fix-no-poller');
    const chat = groupChat('nsg-fix-no-poller');
    const { requestId } = await checkAndRequest(client, alice, chat, 'contoso-apim', NO_NSG);
    await approve(client, chat, requestId);
    const { inFlight } = await killDuring('attachNsg', requestId, first, sandbox.url);
    // As if the process had died a moment earlier: the poller was never stored.
    const forgotten = await bots.stores!.requests.update(requestId, inFlight.version, { ...inFlight, apply: { ...inFlight.apply!, pollerState: null, pollerStep: null } });
    expect(forgotten.ok).toBe(true);
    await eventually(async () => (await storedSubnet(sandbox.url, NO_NSG)).properties.provisioningState === 'Succeeded', 'the association to finish', FINISH_MS);

    const second = await startBotProcess(env);
    bots.children.push(second);
    const done = await finished(new BotClient(second.url, bots.connector, TENANT), chat, requestId);
    expect(writesOf(await sandboxRequests(sandbox.url)).map((w) => w.write)).toEqual(ALL_NO_NSG_WRITES);
    const attach = done.apply?.done.find((d) => d.step === 'attachNsg');
    expect(attach).toMatchObject({ changed: true, note: expect.stringContaining('(done by the write sent before a restart)') });
    await second.kill('SIGTERM');
  }, 120_000);
});
