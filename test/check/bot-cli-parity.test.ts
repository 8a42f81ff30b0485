/**
 * The CLI and the bot are two front doors onto one check: on the same estate, `check --json` and the options card
 * (through its server-side record and its text) must give the same verdicts and codes. The estate holds a
 * forced-tunnel subnet, a subnet too small for Premium v2's maximum scale, and a root cause the bot cannot fix (a
 * missing delegation where the bot may not write the subnet).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, ALICE, alice, BOT, BotHarness, cardOf, estate, personalChat, rg, SUB, subnetId, TENANT, textOf, vnetId } from '../support/index.js';

const CLI = join(import.meta.dirname, '../../dist/src/cli.js');
const PREMIUM = `${rg('rg-apim')}/providers/Microsoft.ApiManagement/service/apim-premium`;
const ROUTE_TABLE = `${rg('rg-net')}/providers/Microsoft.Network/routeTables/rt-to-firewall`;
const NSG_ID = `${rg('rg-net')}/providers/Microsoft.Network/networkSecurityGroups/nsg-apim`;
const LOCKED_SUBNET = subnetId('locked-vnet', 'apim-undelegated', 'rg-locked');
const JOINER_ROLE = 'c0ffee00-0000-4000-8000-0000000a11ce';

function assignment(n: number, scope: string, principalId: string, roleGuid: string, principalType = 'User') {
  const guid = `00000000-0000-4000-8000-${String(900 + n).padStart(12, '0')}`;
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${guid}`,
    name: guid,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: { roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`, principalId, principalType, scope },
  };
}

/** The bot's estate, plus: a Premium v2 instance, hub-vnet/apim-outbound behind a firewall, a /26, and rg-locked. */
function parityEstate(webProvider: 'Registered' | 'NotRegistered' = 'Registered') {
  const seed = estate({ webProvider }) as { resources: any[] } & Record<string, unknown>;
  const resources = seed.resources;
  const outbound = resources.find((r) => r.name === 'contoso-apim');
  resources.push({ ...structuredClone(outbound), id: PREMIUM, name: 'apim-premium', sku: { name: 'PremiumV2', capacity: 1 } });
  resources.push({
    id: ROUTE_TABLE,
    name: 'rt-to-firewall',
    type: 'Microsoft.Network/routeTables',
    location: 'westeurope',
    properties: { routes: [{ name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' } }] },
  });
  const hub = resources.find((r) => r.name === 'hub-vnet');
  hub.properties.subnets.find((s: any) => s.name === 'apim-outbound').properties.routeTable = { id: ROUTE_TABLE };
  const delegation = (id: string) => [{ name: 'web', id: `${id}/delegations/web`, properties: { serviceName: 'Microsoft.Web/serverFarms' } }];
  const small = subnetId('hub-vnet', 'apim-26');
  hub.properties.subnets.push({ id: small, name: 'apim-26', properties: { addressPrefix: '10.1.8.0/26', delegations: delegation(small), networkSecurityGroup: { id: NSG_ID } } });
  resources.push({
    id: vnetId('locked-vnet', 'rg-locked'),
    name: 'locked-vnet',
    type: 'Microsoft.Network/virtualNetworks',
    location: 'westeurope',
    properties: {
      addressSpace: { addressPrefixes: ['192.168.0.0/16'] },
      subnets: [{ id: LOCKED_SUBNET, name: 'apim-undelegated', properties: { addressPrefix: '192.168.1.0/24', delegations: [], networkSecurityGroup: { id: NSG_ID } } }],
    },
  });
  // The bot may read and join in rg-locked, not write: the missing delegation there is a root cause it cannot fix.
  const botEverywhere = resources.findIndex((r) => r.properties?.principalId === BOT);
  resources.splice(botEverywhere, 1);
  resources.push(
    {
      id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${JOINER_ROLE}`,
      name: JOINER_ROLE,
      type: 'Microsoft.Authorization/roleDefinitions',
      properties: {
        roleName: 'Subnet Joiner',
        type: 'CustomRole',
        assignableScopes: [`/subscriptions/${SUB}`],
        permissions: [{ actions: ['Microsoft.Network/*/read', 'Microsoft.Network/virtualNetworks/subnets/join/action'], notActions: [], dataActions: [], notDataActions: [] }],
      },
    },
    assignment(1, `/subscriptions/${SUB}`, BOT, 'acdd72a7-3385-48ef-bd42-f606fba81ae7', 'ServicePrincipal'),
    assignment(2, rg('rg-apim'), BOT, 'b24988ac-6180-42a0-ab88-20f7382dd24c', 'ServicePrincipal'),
    assignment(3, rg('rg-net'), BOT, 'b24988ac-6180-42a0-ab88-20f7382dd24c', 'ServicePrincipal'),
    assignment(4, rg('rg-locked'), BOT, JOINER_ROLE, 'ServicePrincipal'),
    assignment(5, rg('rg-locked'), ALICE, '4d97b98b-1d4f-4787-a291-c67834d212e7'),
  );
  return seed;
}

interface JsonFinding {
  code: string;
  severity: string;
  message: string;
}
interface JsonReport {
  findings: JsonFinding[];
  subnets: { id: string; name: string; verdict: string; findings: JsonFinding[] }[];
}

function cliCheck(seedFile: string, instance: string): Promise<JsonReport> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, 'check', instance, '--seed', seedFile, '--as', ALICE, '--json'], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && !stdout) reject(new Error(`check failed: ${stderr}`));
      else resolve(JSON.parse(stdout) as JsonReport);
    });
  });
}

const codes = (findings: readonly { code: string; severity: string }[]) => findings.map((f) => `${f.code}:${f.severity}`);

let dir: string;
let seedFile: string;
let h: BotHarness;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apim-parity-'));
  seedFile = join(dir, 'seed.json');
  const seed = parityEstate();
  await writeFile(seedFile, JSON.stringify(seed));
  h = await BotHarness.start({ seed, tenantId: TENANT });
});
afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The options card for `text`, and the server-side record behind it (the candidates with their findings). */
async function botCheck(text: string) {
  const reply = await h.say(alice, personalChat(alice), text);
  const card = cardOf(reply.reply?.activity);
  const checkId = actionsOf(card).find((a) => a.verb === 'requestIntegration')?.data.checkId as string | undefined;
  let candidates: { subnetId: string; verdict: string; findings: JsonFinding[] }[] = [];
  if (checkId) {
    const folder = join(h.dataDir, 'checks');
    const file = (await readdir(folder)).find((f) => f.includes(checkId));
    candidates = JSON.parse(await readFile(join(folder, file!), 'utf8')).candidates;
  }
  return { text: textOf(card), candidates };
}

describe('the CLI and the bot on the same estate', () => {
  it('the estate shows what it is for', async () => {
    const report = await cliCheck(seedFile, PREMIUM);
    const of = (name: string) => codes(report.subnets.find((s) => s.name === name)!.findings);
    expect(of('apim-outbound')).toEqual(['ROUTE_FORCED_TUNNELING:warning']);
    expect(of('apim-26')).toEqual(['SUBNET_BELOW_RECOMMENDED:warning', 'SUBNET_BELOW_MAX_SCALE:warning']);
    expect(of('apim-undelegated')).toEqual(['DELEGATION_MISSING:blocking']);
  });

  for (const instance of ['apim-premium', 'contoso-apim']) {
    it(`${instance}: every subnet the card offers has the verdict and codes of check --json, and the card says the instance's findings`, async () => {
      const id = instance === 'apim-premium' ? PREMIUM : PREMIUM.replace('apim-premium', 'contoso-apim');
      const [cli, bot] = await Promise.all([cliCheck(seedFile, id), botCheck(`check ${instance}`)]);
      expect(bot.candidates.length).toBeGreaterThan(0);
      const offered = (name: string) => bot.candidates.find((c) => c.subnetId.endsWith(`/${name}`));
      expect(codes(offered('apim-outbound')!.findings)).toEqual(['ROUTE_FORCED_TUNNELING:warning']);
      expect(codes(offered('apim-26')!.findings)).toContain(instance === 'apim-premium' ? 'SUBNET_BELOW_MAX_SCALE:warning' : 'SUBNET_BELOW_RECOMMENDED:warning');
      for (const candidate of bot.candidates) {
        const same = cli.subnets.find((s) => s.id.toLowerCase() === candidate.subnetId.toLowerCase());
        expect(same, candidate.subnetId).toBeDefined();
        expect(candidate.verdict, candidate.subnetId).toBe(same!.verdict);
        expect(codes(candidate.findings), candidate.subnetId).toEqual(codes(same!.findings));
      }
      const usable = cli.subnets.filter((s) => s.verdict !== 'ineligible' && !s.id.includes('/secret-vnet/'));
      expect(bot.candidates.map((c) => c.subnetId.toLowerCase()).sort()).toEqual(usable.map((s) => s.id.toLowerCase()).sort());
      for (const f of cli.findings) expect(bot.text).toContain(f.message.slice(0, 80));
    });
  }

  it('the root cause the bot cannot fix: the card gives the same blocking finding as the CLI, in its words', async () => {
    const [cli, bot] = await Promise.all([cliCheck(seedFile, PREMIUM), botCheck('check apim-premium in locked-vnet')]);
    const locked = cli.subnets.find((s) => s.name === 'apim-undelegated')!;
    expect(locked.verdict).toBe('ineligible');
    const [finding] = locked.findings;
    expect(finding?.message).toContain('it lacks Microsoft.Network/virtualNetworks/subnets/write');
    expect(bot.candidates).toEqual([]);
    expect(bot.text).toContain(finding!.message.slice(0, 120));
  });
});

describe('the CLI and the bot when Microsoft.Web is not registered and the bot may not register it', () => {
  let other: BotHarness;
  let otherSeed: string;
  beforeAll(async () => {
    const seed = parityEstate('NotRegistered');
    otherSeed = join(dir, 'seed-unregistered.json');
    await writeFile(otherSeed, JSON.stringify(seed));
    other = await BotHarness.start({ seed, tenantId: TENANT });
  });
  afterAll(async () => {
    await other?.close();
  });

  it('both say PROVIDER_NOT_REGISTERED, blocking, with the missing right, and offer no subnet', async () => {
    const cli = await cliCheck(otherSeed, PREMIUM);
    expect(codes(cli.findings)).toEqual(['PROVIDER_NOT_REGISTERED:blocking']);
    expect(cli.findings[0]?.message).toContain('it lacks Microsoft.Web/register/action');
    expect(cli.subnets.every((s) => s.verdict === 'ineligible')).toBe(true);
    const reply = await other.say(alice, personalChat(alice), 'check apim-premium');
    const card = cardOf(reply.reply?.activity);
    expect(actionsOf(card).find((a) => a.verb === 'requestIntegration')).toBeUndefined();
    expect(textOf(card)).toContain(cli.findings[0]!.message.slice(0, 120));
  });
});
