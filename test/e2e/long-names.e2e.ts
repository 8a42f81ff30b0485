/**
 * The cards with names as long as Azure allows (and without hyphens to break at): the demo seed with its main
 * instance, hub VNet, subnet and resource group renamed. Every card must show all of its text (wrapped, not cut
 * off). Screenshots go to build/e2e/long-names/ (not committed) for a look.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startDemoProcess, type DemoProcess } from './support/demo-process.js';
import { Playground } from './support/playground-page.js';

const SHOTS = join(REPO_ROOT, 'build', 'e2e', 'long-names');
const INSTANCE = 'contoso-apim-platform-gateway-westeurope-prod-001';
const VNET = 'vnet_hub_connectivity_westeurope_production_0001';
const SUBNET = 'snet_apim_outbound_integration_production_westeurope_0001';

/** The demo seed with the names of the story replaced by long ones, consistently (ids embed names). */
async function longNameSeed(dir: string): Promise<string> {
  let seed = await readFile(join(REPO_ROOT, 'seeds', 'demo.json'), 'utf8');
  seed = seed
    .replace(/contoso-apim(?![-\w])/g, INSTANCE)
    .replace(/hub-vnet(?![-\w])/g, VNET)
    .replace(/apim-outbound(?![-\w])/g, SUBNET)
    .replace(/rg-network-hub(?![-\w])/g, 'rg_network_hub_connectivity_westeurope_production_shared_services_0001');
  const file = join(dir, 'long-names.json');
  await writeFile(file, seed);
  return file;
}

describe('cards with long names: everything wraps, nothing is cut off', () => {
  let dir: string;
  let demo: DemoProcess;
  let ui: Playground;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    dir = await mkdtemp(join(tmpdir(), 'apim-e2e-seed-'));
    demo = await startDemoProcess({ SANDBOX_SEED: await longNameSeed(dir), SANDBOX_LRO_SECONDS: '1' });
    ui = await Playground.open(demo.url);
  });

  afterAll(async () => {
    await ui?.close();
    if (demo) expect((await demo.stop()).leftovers).toEqual([]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('options, request, approval, final and status cards', async () => {
    await ui.card('I connect API Management', 60_000);
    await ui.say(`check ${INSTANCE}`);
    const options = await ui.card(`Outbound VNet integration for ${INSTANCE}`);
    // Choice titles carry zero-width spaces after underscores, so that long names can wrap.
    const label = new RegExp(`${VNET}/${SUBNET} ·`.replace(/_/g, '_\u200b?'));
    const subnet = options.getByRole('radio', { name: label });
    await subnet.check();
    expect.soft(await ui.screenshotCard(options, join(SHOTS, 'options-card.png')), 'text cut off').toEqual([]);
    await options.getByRole('button', { name: 'Request integration' }).click();

    const approval = ui.cards(`${VNET}/${SUBNET}`).filter({ has: ui.page.getByRole('button', { name: 'Approve' }) }).last();
    await approval.waitFor({ state: 'visible' });
    expect.soft(await ui.screenshotCard(approval, join(SHOTS, 'approval-card.png')), 'text cut off').toEqual([]);
    const requestId = /R-[0-9A-Z]{5}/.exec(await approval.innerText())?.[0] ?? '';
    await approval.getByRole('button', { name: 'Approve' }).click();

    const done = ui.cards(requestId).filter({ hasText: `is now integrated with ${VNET}/${SUBNET}` }).last();
    await done.waitFor({ state: 'visible', timeout: 90_000 });
    expect.soft(await ui.screenshotCard(done, join(SHOTS, 'final-card.png')), 'text cut off').toEqual([]);

    await ui.say(`status ${INSTANCE}`);
    const status = await ui.card(`Integrated with ${VNET}/${SUBNET}`);
    expect.soft(await ui.screenshotCard(status, join(SHOTS, 'status-card.png')), 'text cut off').toEqual([]);

    await ui.say(`status ${requestId}`);
    const history = await ui.card(new RegExp(`${requestId}[\\s\\S]*History`));
    expect.soft(await ui.screenshotCard(history, join(SHOTS, 'request-status-card.png')), 'text cut off').toEqual([]);
  });
});
