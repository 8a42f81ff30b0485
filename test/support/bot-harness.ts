/**
 * The bot as Teams meets it: the real server on a free port, an in-process sandbox behind it, a temp DATA_DIR,
 * and a fake Bot Connector that records everything the bot sends.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { startSandbox, type RunningSandbox, type SandboxOptions, type SandboxSeed } from '../../src/sandbox/index.js';
import { FakeConnector } from './fake-connector.js';
import { cardAction, message, type Chat, type TeamsUser } from './teams.js';

export interface HarnessOptions {
  seed: unknown;
  tenantId: string;
  env?: Record<string, string>;
  sandbox?: Partial<Omit<SandboxOptions, 'seed'>>;
  logger?: Logger;
}

export interface HttpResult {
  status: number;
  body: any;
  ms: number;
}

export class BotHarness {
  private constructor(
    readonly app: RunningApp,
    readonly sandbox: RunningSandbox,
    readonly connector: FakeConnector,
    readonly dataDir: string,
    readonly tenantId: string,
  ) {}

  static async start(options: HarnessOptions): Promise<BotHarness> {
    const dataDir = await mkdtemp(join(tmpdir(), 'apim-bot-test-'));
    const sandbox = await startSandbox({ seed: options.seed as SandboxSeed, port: 0, lroSeconds: 0.3, ...options.sandbox });
    const connector = await FakeConnector.start();
    const config = loadConfig({
      ARM_ENDPOINT: sandbox.url,
      ARM_POLL_INTERVAL_MS: '50',
      ARM_MAX_RETRIES: '1',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      ...options.env,
    });
    const app = await startApp(config, { logger: options.logger ?? silentLogger });
    return new BotHarness(app, sandbox, connector, dataDir, options.tenantId);
  }

  async post(body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
    const started = performance.now();
    const response = await fetch(`${this.app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, ms };
  }

  /** A person types in a chat; returns the HTTP result and the bot's reply to that message. */
  async say(from: TeamsUser, chat: Chat, text: string, tenantId = this.tenantId) {
    const activity = message(this.connector.url, tenantId, chat, from, text);
    const result = await this.post(activity);
    const reply = this.connector.sent.find((s) => s.kind === 'post' && s.activity.type === 'message' && s.replyToId === activity.id);
    return { ...result, reply };
  }

  /** A person clicks an Action.Execute button on the card posted as `replyToId`. */
  click(from: TeamsUser, chat: Chat, verb: string, data: Record<string, unknown>, replyToId: string | null, tenantId = this.tenantId): Promise<HttpResult> {
    return this.post(cardAction(this.connector.url, tenantId, chat, from, verb, data, replyToId));
  }

  async armGet(id: string): Promise<any> {
    const response = await fetch(`${this.sandbox.url}/_sandbox/resources${id}`);
    return response.json();
  }

  async faults(body: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${this.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`faults: ${response.status} ${await response.text()}`);
  }

  async armRequests(): Promise<{ method: string; path: string; status: number; time: string }[]> {
    return (await fetch(`${this.sandbox.url}/_sandbox/requests`)).json() as Promise<{ method: string; path: string; status: number; time: string }[]>;
  }

  idle(): Promise<void> {
    return this.app.bot.idle();
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.connector.close();
    await this.sandbox.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** The body of an Action.Execute invoke response: a card, or a message shown to the person who clicked. */
export function invokeCard(result: HttpResult): Record<string, any> | null {
  return result.body?.type === 'application/vnd.microsoft.card.adaptive' ? (result.body.value as Record<string, any>) : null;
}

export function invokeMessage(result: HttpResult): string | null {
  return result.body?.type === 'application/vnd.microsoft.activity.message' ? String(result.body.value) : null;
}
