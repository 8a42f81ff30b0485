/**
 * The bot process writes one JSON object per line to stderr, whatever its libraries print, and the CLI exits as
 * soon as it has answered. Runs the built bot (`npm test` builds first).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox, type SandboxSeed } from '../../src/sandbox/index.js';
import { alice, approvalCard, BOB, bob, BotClient, checkAndRequest, type ChildServer, CLI, estate, FakeConnector, groupChat, personalChat, startBotProcess, subnetId, TENANT, told } from '../support/index.js';

let sandbox: RunningSandbox;
let connector: FakeConnector;
let bot: ChildServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'apim-log-lines-'));
  [sandbox, connector] = await Promise.all([startSandbox({ seed: estate() as SandboxSeed, port: 0, lroSeconds: 0.3 }), FakeConnector.start()]);
  bot = await startBotProcess({ ARM_ENDPOINT: sandbox.url, APPROVER_IDS: BOB, LOG_LEVEL: 'debug', DATA_DIR: dataDir });
}, 60_000);
afterAll(async () => {
  await bot?.kill('SIGTERM');
  await Promise.all([sandbox?.close(), connector?.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

describe('the bot process log', () => {
  it('is JSON lines only, through a request, an approval (proactive messages), a bad card action and an apply', async () => {
    const client = new BotClient(bot.url, connector, TENANT);
    const chat = groupChat('log-lines');
    await client.say(alice, personalChat(alice), 'help');
    const { requestId } = await checkAndRequest(client, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(client, chat.id, requestId);
    await client.click(bob, chat, 'approve', { requestId }, approval.activityId);
    await told(client, chat.id, new RegExp(`${requestId} is done`));
    await client.click(bob, chat, 'noSuchVerb', { requestId }, approval.activityId);

    const lines = bot.stderr().split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(20);
    const notJson = lines.filter((l) => {
      try {
        const parsed = JSON.parse(l) as unknown;
        return typeof parsed !== 'object' || parsed === null || typeof (parsed as { msg?: unknown }).msg !== 'string';
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    const turns = lines.map((l) => JSON.parse(l) as { msg: string; turnId?: string }).filter((l) => l.msg === 'turn');
    expect(turns.length).toBeGreaterThanOrEqual(4);
    expect(turns.every((t) => typeof t.turnId === 'string')).toBe(true);
  });
});

describe('the check command', () => {
  it('exits as soon as it has answered, even while reads it no longer needs are still being retried', async () => {
    const unknownSubscription = '/subscriptions/00000000-0000-4000-8000-000000000999/resourceGroups/rg/providers/Microsoft.ApiManagement/service/x';
    const started = Date.now();
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [CLI, 'check', unknownSubscription], { env: { PATH: process.env.PATH ?? '', ARM_ENDPOINT: sandbox.url } }, (_error, _stdout, stderr) =>
        resolve({ code: child.exitCode, stderr }),
      );
    });
    expect(run.stderr).toContain('SubscriptionNotFound');
    expect(run.code).toBe(3);
    // The reads it abandoned would go on retrying for over 30 s; the answer takes well under a second.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
