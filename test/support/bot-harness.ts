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
import { BotClient, type HttpResult } from './bot-client.js';
import { FakeConnector } from './fake-connector.js';

export type { HttpResult };

export interface HarnessOptions {
  seed: unknown;
  tenantId: string;
  env?: Record<string, string>;
  sandbox?: Partial<Omit<SandboxOptions, 'seed'>>;
  logger?: Logger;
  /** The bot's clock (default: the real one). */
  clock?: () => Date;
  /** How often the app sweeps open requests on its own (default: rarely, so tests sweep when they mean to). */
  sweepIntervalMs?: number;
  /** Puts files into the new DATA_DIR before the bot starts (for example a damaged record). */
  prepareDataDir?: (dataDir: string) => Promise<void>;
}

export class BotHarness extends BotClient {
  private constructor(
    private running: RunningApp,
    readonly sandbox: RunningSandbox,
    connector: FakeConnector,
    readonly dataDir: string,
    tenantId: string,
    private readonly boot: () => Promise<RunningApp>,
  ) {
    super(running.url, connector, tenantId);
  }

  get app(): RunningApp {
    return this.running;
  }

  /** Stops the bot process and starts it again on the same DATA_DIR, sandbox and connector (a restart). */
  async restart(): Promise<void> {
    await this.running.close();
    this.running = await this.boot();
    this.baseUrl = this.running.url;
  }

  static async start(options: HarnessOptions): Promise<BotHarness> {
    const dataDir = await mkdtemp(join(tmpdir(), 'apim-bot-test-'));
    await options.prepareDataDir?.(dataDir);
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
    const boot = () =>
      startApp(config, {
        logger: options.logger ?? silentLogger,
        sweepIntervalMs: options.sweepIntervalMs ?? 600_000,
        ...(options.clock ? { clock: options.clock } : {}),
      });
    return new BotHarness(await boot(), sandbox, connector, dataDir, options.tenantId, boot);
  }

  async armGet(id: string): Promise<any> {
    const response = await fetch(`${this.sandbox.url}/_sandbox/resources${id}`);
    return response.json();
  }

  /** A write made directly in Azure (not through the bot) by `oid`, with the sandbox's token for that principal. */
  async armWrite(method: 'PUT' | 'PATCH', id: string, apiVersion: string, body: unknown, oid: string): Promise<Response> {
    const token: any = await (await fetch(`${this.sandbox.url}/_sandbox/token?oid=${oid}`)).json();
    const bearer = typeof token === 'string' ? token : (token.access_token ?? token.token);
    return fetch(`${this.sandbox.url}${id}?api-version=${apiVersion}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify(body),
    });
  }

  /** A request as the file store keeps it (the JSON on disk). */
  async storedRequest(requestId: string): Promise<any> {
    const { readFile, readdir } = await import('node:fs/promises');
    const dir = join(this.dataDir, 'requests');
    const file = (await readdir(dir)).find((f) => f.includes(requestId));
    if (!file) throw new Error(`no stored request ${requestId} in ${dir}`);
    return JSON.parse(await readFile(join(dir, file), 'utf8'));
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
