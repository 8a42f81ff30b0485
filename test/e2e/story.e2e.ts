/**
 * The whole story through the Agents Playground's UI, as the README tells a new user to play it: `npm start`,
 * check contoso-apim, pick a subnet on the options card, request it, approve it on the approval card (the demo
 * user is Bob, an approver, with self-approval on), watch it apply, then ask for status in a channel; Ctrl+C
 * leaves nothing running. Screenshots of the cards go to docs/screenshots/.
 *
 * Run with `npm run test:e2e` (needs Chromium at /usr/bin/chromium: apt-get install -y chromium).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startDemoProcess, type DemoProcess } from './support/demo-process.js';
import { Playground } from './support/playground-page.js';

const SHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const INSTANCE = 'contoso-apim';
const SUBNET = 'hub-vnet/apim-outbound';
/** The bot's name in .m365agentsplayground.yml. */
const BOT_NAME = 'APIM VNet Bot';

describe('npm start: the whole story in the Agents Playground', () => {
  let demo: DemoProcess;
  let ui: Playground;
  let requestId = '';

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    demo = await startDemoProcess();
    console.log(`demo ready: ${demo.readySeconds} s by its own clock, ${demo.spawnToReadyMs} ms from spawn; ${demo.url}`);
    ui = await Playground.open(demo.url);
  });

  afterAll(async () => {
    await ui?.close();
    if (demo) {
      const stopped = await demo.stop();
      if (stopped.leftovers.length > 0) throw new Error(`processes left running after Ctrl+C: ${stopped.leftovers.join(', ')}`);
    }
  });

  it('starts both servers on loopback and prints one URL to open', () => {
    expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(demo.botEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/messages$/);
    expect(demo.output().match(/Open http/g)).toHaveLength(1);
    expect(demo.output()).toMatch(/an approver; self-approval is on/);
    expect(demo.spawnToReadyMs).toBeLessThan(60_000);
  });

  it('welcomes the user in the personal chat', async () => {
    await ui.card('I connect API Management', 60_000);
  });

  it('check → options card → pick a subnet → request', async () => {
    await ui.say(`check ${INSTANCE}`);
    const options = await ui.card(`Outbound VNet integration for ${INSTANCE}`);
    const requestButton = options.getByRole('button', { name: 'Request integration' });
    await requestButton.waitFor({ state: 'visible' });

    const subnet = options.getByRole('radio', { name: new RegExp(`${SUBNET.replace('/', '\\/')} ·`) });
    await subnet.check();
    expect(await subnet.isChecked()).toBe(true);
    expect.soft(await ui.screenshotCard(options, join(SHOTS, 'options-card.png')), 'text cut off').toEqual([]);
    await requestButton.click();

    // The options card turns into the requester's view of the request.
    const mine = await ui.card(/Waiting for approval[\s\S]*Cancel request|Cancel request[\s\S]*Waiting for approval/);
    requestId = /R-[0-9A-Z]{5}/.exec(await mine.innerText())?.[0] ?? '';
    expect(requestId).not.toBe('');
  });

  it('approval card (self-approval on) → approve → watch it apply → final card', async () => {
    const approval = ui.cards(requestId).filter({ has: ui.page.getByRole('button', { name: 'Approve' }) }).last();
    await approval.waitFor({ state: 'visible' });
    const text = await approval.innerText();
    expect(text).toContain('Self-approval is on');
    expect(text).toContain(SUBNET);
    expect.soft(await ui.screenshotCard(approval, join(SHOTS, 'approval-card.png')), 'text cut off').toEqual([]);

    await approval.getByRole('textbox').fill('Demo: approved by the platform team.');
    await approval.getByRole('button', { name: 'Approve' }).click();

    // Applying takes SANDBOX_LRO_SECONDS in the sandbox: the card shows it on the way.
    await ui.cards(requestId).filter({ hasText: /Approved: applying|Applying/ }).last().waitFor({ state: 'visible', timeout: 30_000 });
    const done = ui.cards(requestId).filter({ hasText: `is now integrated with ${SUBNET}` }).last();
    await done.waitFor({ state: 'visible', timeout: 90_000 });
    expect(await done.innerText()).toContain('Done');
    await ui.page.getByText(`Request ${requestId} is done`).first().waitFor({ state: 'visible', timeout: 30_000 });
    expect.soft(await ui.screenshotCard(done, join(SHOTS, 'final-card.png')), 'text cut off').toEqual([]);
    await ui.settle();
    await ui.page.screenshot({ path: join(SHOTS, 'playground.png') });
  });

  it('status in a channel', async () => {
    await ui.openConversation('APIM requests');
    await ui.postToBot(BOT_NAME, `status ${INSTANCE}`);
    const status = await ui.card(`Integrated with ${SUBNET}`);
    expect(await status.innerText()).toContain(requestId);
    expect.soft(await ui.screenshotCard(status, join(SHOTS, 'status-card.png')), 'text cut off').toEqual([]);
  });

  it('stayed on this machine', () => {
    // The Playground's server tried no outside connection (its guard reports any it refuses).
    expect(demo.output()).not.toContain('playground-guard: blocked');
    // The page's requests outside this machine (web fonts from a CDN) were all refused.
    if (ui.blocked.length > 0) console.log(`refused outside requests from the page:\n  ${[...new Set(ui.blocked)].join('\n  ')}`);
  });
});
