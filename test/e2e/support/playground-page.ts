/**
 * Debian's Chromium driven by playwright-core, kept on this machine, and the few things a person does in the
 * Agents Playground: open a chat or channel, type, find the bot's cards, click their buttons, take screenshots.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags for Chromium as root in a container, with nothing running in the background. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  // Names that are not this machine do not resolve, whatever asks (page, service worker, websocket).
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

export function isLoopbackUrl(raw: string): boolean {
  const url = new URL(raw);
  if (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'about:') return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

export class Playground {
  /** Requests the page tried to make outside this machine (web fonts, mostly); all were refused. */
  readonly blocked: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly profileDir: string,
  ) {}

  static async open(url: string): Promise<Playground> {
    const profileDir = await mkdtemp(join(tmpdir(), 'apim-e2e-chromium-'));
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    const playground = new Playground(context, context.pages()[0] ?? (await context.newPage()), profileDir);
    await context.route('**/*', (route) => {
      const requested = route.request().url();
      if (isLoopbackUrl(requested)) return route.continue();
      playground.blocked.push(requested);
      return route.abort('blockedbyclient');
    });
    playground.page.setDefaultTimeout(30_000);
    await playground.page.goto(url, { waitUntil: 'domcontentloaded' });
    await playground.composer().waitFor({ state: 'visible', timeout: 60_000 });
    return playground;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    await rm(this.profileDir, { recursive: true, force: true });
  }

  /** The message box of a chat. In a channel the first box is "Start a new post". */
  composer(): Locator {
    return this.page.locator('[role="textbox"][contenteditable="true"]').first();
  }

  /** Types a message in the current chat and sends it. */
  async say(text: string): Promise<void> {
    await this.composer().click();
    await this.page.keyboard.type(text);
    await this.page.getByRole('button', { name: 'Send Message' }).click();
  }

  /**
   * Starts a new post in the current channel that @mentions the bot (as in Teams, a bot in a channel hears only
   * posts that mention it): type @, pick the bot from the typeahead menu, then the text.
   */
  async postToBot(botName: string, text: string): Promise<void> {
    await this.page.getByText('Start a new post').waitFor({ state: 'visible' });
    await this.composer().click();
    await this.page.keyboard.type(`@${botName.split(' ')[0]}`);
    await this.page.getByRole('listbox', { name: 'Typeahead menu' }).getByRole('menuitem', { name: botName }).click();
    await this.page.keyboard.type(` ${text}`);
    await this.page.getByRole('button', { name: 'Post', exact: true }).click();
  }

  /** Opens a chat or channel from the left rail by its name. */
  async openConversation(name: string): Promise<void> {
    await this.page.getByText(name, { exact: true }).first().click();
  }

  /** Every Adaptive Card on the page that contains `text`. */
  cards(text: string | RegExp): Locator {
    return this.page.locator('.ac-adaptiveCard').filter({ hasText: text });
  }

  /** Waits until exactly one card shows `text` (the latest one when several do) and returns it. */
  async card(text: string | RegExp, timeout = 30_000): Promise<Locator> {
    const card = this.cards(text).last();
    await card.waitFor({ state: 'visible', timeout });
    return card;
  }

  /**
   * A screenshot of one card, whole (the window is made tall enough for it first). Returns the text that does
   * not fit (see overflowing): expect it to be empty.
   */
  async screenshotCard(card: Locator, path: string): Promise<string[]> {
    const size = this.page.viewportSize() ?? { width: 1400, height: 1000 };
    const box = await card.boundingBox();
    const needed = Math.ceil((box?.height ?? 0) + 400);
    if (needed > size.height) await this.page.setViewportSize({ width: size.width, height: needed });
    await card.scrollIntoViewIfNeeded();
    await this.settle();
    await card.screenshot({ path, animations: 'disabled' });
    const cut = await this.overflowing(card);
    if (needed > size.height) await this.page.setViewportSize(size);
    return cut;
  }

  /**
   * Text in the card that does not fit: elements whose content is wider than their box (cut off by the card or
   * its fact grid). Empty when everything wraps.
   */
  async overflowing(card: Locator): Promise<string[]> {
    return card.evaluate((root) => {
      const cut: string[] = [];
      for (const el of Array.from(root.querySelectorAll('*'))) {
        const box = el as unknown as { scrollWidth: number; clientWidth: number; innerText?: string; children: { length: number } };
        if (box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 1) cut.push((box.innerText ?? '').slice(0, 120).replace(/\s+/g, ' '));
      }
      return cut;
    });
  }

  /** Waits for the page to stop moving (fonts, layout) before a screenshot. */
  async settle(): Promise<void> {
    await this.page.evaluate('document.fonts.ready.then(() => true)');
    await this.page.waitForTimeout(300);
  }
}
