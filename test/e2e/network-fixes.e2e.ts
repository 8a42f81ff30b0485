/**
 * What the bot builds, played in the Agents Playground on the demo seed as Bob (the demo user): a subnet without
 * an NSG gets one on approval; a new subnet is proposed in apps-vnet (free space) and refused in full-vnet (full);
 * disconnect offers to remove what the bot made. Screenshots of the cards go to docs/screenshots/.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startDemoProcess, type DemoProcess } from './support/demo-process.js';
import { Playground } from './support/playground-page.js';

const SHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const REQUEST_ID = /R-[0-9A-Z]{5}/;

describe('npm start: the bot builds what is missing', () => {
  let demo: DemoProcess;
  let ui: Playground;

  beforeAll(async () => {
    demo = await startDemoProcess({ SANDBOX_LRO_SECONDS: '1' });
    ui = await Playground.open(demo.url);
    await ui.card('I connect API Management', 60_000);
  });

  afterAll(async () => {
    await ui?.close();
    if (demo) await demo.stop();
  });

  /** Approves the request on its approval card and waits for the card that says `doneText`. */
  async function approve(requestId: string, doneText: string, shot?: string): Promise<string> {
    const approval = ui.cards(requestId).filter({ has: ui.page.getByRole('button', { name: 'Approve', exact: true }) }).last();
    await approval.waitFor({ state: 'visible' });
    const plan = await approval.innerText();
    if (shot) expect.soft(await ui.screenshotCard(approval, join(SHOTS, shot)), 'text cut off').toEqual([]);
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    await ui.cards(requestId).filter({ hasText: doneText }).last().waitFor({ state: 'visible', timeout: 90_000 });
    await ui.page.getByText(`Request ${requestId} is done`).first().waitFor({ state: 'visible', timeout: 30_000 });
    return plan;
  }

  it('a subnet without an NSG: the bot creates one and associates it', async () => {
    await ui.say('check contoso-apim');
    const options = await ui.card('Outbound VNet integration for contoso-apim');
    const subnet = options.getByRole('radio', { name: /hub-vnet\/no-nsg · .*bot creates NSG nsg-apim-contoso-apim-outbound/ });
    await subnet.check();
    await options.getByRole('button', { name: 'Request integration' }).click();
    const mine = await ui.card(/Waiting for approval[\s\S]*hub-vnet\/no-nsg/);
    const requestId = REQUEST_ID.exec(await mine.innerText())![0];
    const plan = await approve(requestId, 'is now integrated with hub-vnet/no-nsg', 'nsg-fix-approval-card.png');
    expect(plan).toContain('Create network security group nsg-apim-contoso-apim-outbound in resource group rg-network-hub');
    expect(plan).toContain('Associate network security group nsg-apim-contoso-apim-outbound with subnet hub-vnet/no-nsg.');
  });

  it('a new subnet in a full VNet: a clear refusal, nothing requested', async () => {
    await ui.say('integrate contoso-apim new subnet in full-vnet');
    const answer = await ui.card(/No free address block of \/24 to \/27 is left in virtual network 'full-vnet'/);
    expect(await answer.innerText()).not.toMatch(REQUEST_ID);
  });

  it('a new subnet in apps-vnet: proposed, approved, built; disconnect removes it again', async () => {
    await ui.say('integrate contoso-apim new subnet in apps-vnet');
    const options = await ui.card(/New subnet apps-vnet\/snet-apim-contoso-apim-outbound · 10\.70\.3\.0\/24/);
    const choice = options.getByRole('radio', { name: /New subnet apps-vnet\/snet-apim-contoso-apim-outbound/ });
    await choice.check();
    await options.getByRole('button', { name: 'Request integration' }).click();
    const mine = await ui.card(/Waiting for approval[\s\S]*snet-apim-contoso-apim-outbound/);
    const requestId = REQUEST_ID.exec(await mine.innerText())![0];
    const plan = await approve(requestId, 'is now integrated with apps-vnet/snet-apim-contoso-apim-outbound', 'new-subnet-approval-card.png');
    expect(plan).toContain('Create subnet apps-vnet/snet-apim-contoso-apim-outbound: 10.70.3.0/24, delegated to Microsoft.Web/serverFarms');

    await ui.say('disconnect contoso-apim');
    const leave = await ui.card(/Delete subnet apps-vnet\/snet-apim-contoso-apim-outbound/);
    const undoId = REQUEST_ID.exec(await leave.innerText())![0];
    const undo = await approve(undoId, 'Removed subnet apps-vnet/snet-apim-contoso-apim-outbound', 'undo-approval-card.png');
    expect(undo).toContain(`Delete network security group nsg-apim-contoso-apim-outbound (created by the bot for ${requestId}).`);
  });
});
