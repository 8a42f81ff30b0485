/**
 * The bot's request flow, timed as Teams would see it: a real `apim-vnet-bot serve` process on the demo seed with
 * its embedded sandbox, driven over HTTP by the tests' Teams client and Bot Connector stand-in. Per round: `check` (message),
 * `requestIntegration` (card invoke), `approve` (card invoke), then the time from approve until the sandbox shows
 * the instance integrated and until the requester is told; then a disconnect through the same path, so every round
 * starts from the same state.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BotClient, type HttpResult } from '../test/support/bot-client.js';
import { actionsOf, cardOf, choicesOf, FakeConnector, type Sent } from '../test/support/fake-connector.js';
import { personalChat, user, type TeamsUser } from '../test/support/teams.js';
import { median, target, type BenchContext, type BenchmarkResult } from './framework.js';

export interface BotFlowOptions {
  root: string;
  rounds: number;
  /** Duration of the sandbox's long-running operations. */
  lroSeconds: number;
  log(message: string): void;
}

export interface BotFlowRound {
  round: number;
  checkMs: number;
  requestIntegrationMs: number;
  approveMs: number;
  approveToIntegratedMs: number;
  approveToRequesterToldMs: number;
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const REQUEST_ID = /R-[0-9A-Z]{5}/;

export async function botFlow(options: BotFlowOptions): Promise<BotFlowRound[]> {
  const seed = JSON.parse(readFileSync(join(options.root, 'seeds/demo.json'), 'utf8')) as { _people: Record<string, string>; resources: { id: string; name: string; type: string }[] };
  const person = (name: string) => user(name, Object.entries(seed._people).find(([, who]) => who.startsWith(`${name}@`))?.[0] ?? '');
  const alice = person('alice');
  const bob = person('bob');
  const instanceId = seed.resources.find((r) => r.type === 'Microsoft.ApiManagement/service' && r.name === 'contoso-apim')?.id ?? '';

  const connector = await FakeConnector.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'apim-bot-bench-'));
  const sandboxPort = await freePort();
  const botPort = await freePort();
  const bot = spawn(process.execPath, [join(options.root, 'dist/src/cli.js'), 'serve'], {
    cwd: options.root,
    env: {
      ...process.env,
      PORT: String(botPort),
      SANDBOX_SEED: join(options.root, 'seeds/demo.json'),
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_LRO_SECONDS: String(options.lroSeconds),
      APPROVER_IDS: bob.aadObjectId ?? '',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const botUrl = `http://127.0.0.1:${botPort}`;
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    await waitFor(async () => (await fetch(`${botUrl}/healthz`).catch(() => null))?.ok === true, 30_000, bot);

    const client = new BotClient(botUrl, connector, TENANT);
    const say = async (who: TeamsUser, text: string) => answered(await client.say(who, personalChat(who), text));
    const click = async (who: TeamsUser, verb: string, data: Record<string, unknown>, replyToId: string) =>
      answered(await client.click(who, personalChat(who), verb, data, replyToId));
    const dm = (who: TeamsUser) => personalChat(who).id;
    await say(bob, 'hi');
    const rounds: BotFlowRound[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const check = await say(alice, 'check contoso-apim');
      const optionsCard = cardOf(check.reply?.activity);
      const subnet = choicesOf(optionsCard, 'subnetId').find((c) => /hub-vnet\/apim-outbound\b/.test(c.title));
      const action = actionsOf(optionsCard).find((a) => a.verb === 'requestIntegration');
      if (!subnet || !action || !check.reply) throw new Error('the options card offers no hub-vnet/apim-outbound');

      const requested = await click(alice, 'requestIntegration', { ...action.data, subnetId: subnet.value }, check.reply.activityId);
      const requestId = REQUEST_ID.exec(JSON.stringify(requested.body))?.[0];
      if (!requestId) throw new Error(`no request was created: ${JSON.stringify(requested.body).slice(0, 300)}`);
      const approvalCard = await waitFor(() => connector.sent.find((s) => s.conversationId === dm(bob) && approvesRequest(s, requestId)));

      const approvedAt = performance.now();
      const approvedAtClock = Date.now();
      const approved = await click(bob, 'approve', { requestId }, approvalCard.activityId);
      await waitFor(async () => {
        const doc = (await (await fetch(`${sandboxUrl}/_sandbox/resources${instanceId}`)).json()) as { properties: Record<string, unknown> };
        return doc.properties['virtualNetworkType'] === 'External' && doc.properties['provisioningState'] === 'Succeeded';
      });
      const integratedMs = performance.now() - approvedAt;
      const told = await waitFor(() => connector.sent.find((s) => s.conversationId === dm(alice) && s.at >= approvedAtClock && toldDone(s, requestId)));
      rounds.push({
        round,
        checkMs: check.ms,
        requestIntegrationMs: requested.ms,
        approveMs: approved.ms,
        approveToIntegratedMs: integratedMs,
        approveToRequesterToldMs: told.at - approvedAtClock,
      });
      options.log(`  round ${round}: requestIntegration ${requested.ms.toFixed(0)} ms, approve ${approved.ms.toFixed(0)} ms, integrated after ${integratedMs.toFixed(0)} ms`);

      const disconnect = await say(alice, 'disconnect contoso-apim');
      const disconnectId = REQUEST_ID.exec(JSON.stringify(disconnect.reply?.activity ?? {}))?.[0];
      if (!disconnectId) throw new Error('disconnect made no request');
      const disconnectCard = await waitFor(() => connector.sent.find((s) => s.conversationId === dm(bob) && approvesRequest(s, disconnectId)));
      const disconnectAt = Date.now();
      await click(bob, 'approve', { requestId: disconnectId }, disconnectCard.activityId);
      await waitFor(() => connector.sent.find((s) => s.conversationId === dm(alice) && s.at >= disconnectAt && toldDone(s, disconnectId)));
    }
    return rounds;
  } finally {
    bot.kill('SIGTERM');
    await new Promise((resolve) => (bot.exitCode !== null ? resolve(null) : bot.once('exit', resolve)));
    await connector.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function answered<T extends HttpResult>(result: T): T {
  if (result.status >= 300) throw new Error(`/api/messages answered ${result.status}: ${JSON.stringify(result.body).slice(0, 300)}`);
  return result;
}

/** The message that tells the requester the request is done. */
function toldDone(sent: Sent, requestId: string): boolean {
  const text: string = sent.activity.text ?? '';
  return text.includes(requestId) && /is done/.test(text);
}

function approvesRequest(sent: Sent, requestId: string): boolean {
  return actionsOf(cardOf(sent.activity)).some((a) => a.verb === 'approve' && a.data.requestId === requestId);
}

async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000, process_?: ChildProcess): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (process_ && process_.exitCode !== null) throw new Error(`the bot exited (${process_.exitCode}) before it was ready`);
    if (Date.now() > deadline) throw new Error('timed out waiting for the bot');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const FLOW_LRO_SECONDS = 1;

/** `npm run bench` entry: the flow's medians, with the targets (invokes within 2 s). */
export async function botFlowBenchmark(ctx: BenchContext): Promise<BenchmarkResult> {
  const rounds = await botFlow({ root: ctx.root, rounds: Math.max(3, ctx.options.runs), lroSeconds: FLOW_LRO_SECONDS, log: ctx.log });
  const keys = ['checkMs', 'requestIntegrationMs', 'approveMs', 'approveToIntegratedMs', 'approveToRequesterToldMs'] as const;
  const medians = Object.fromEntries(keys.map((k) => [k, median(rounds.map((r) => r[k]))]));
  const round = (v: number | null) => (v === null ? null : Math.round(v));
  return {
    notes: [
      `a \`serve\` process on seeds/demo.json with its embedded sandbox (long-running operations take ${FLOW_LRO_SECONDS} s), driven over HTTP; ${rounds.length} rounds, medians`,
    ],
    columns: [
      { key: 'checkMs', title: 'check ms' },
      { key: 'requestIntegrationMs', title: 'requestIntegration invoke ms' },
      { key: 'approveMs', title: 'approve invoke ms' },
      { key: 'approveToIntegratedMs', title: 'approve -> integrated ms' },
      { key: 'approveToRequesterToldMs', title: 'approve -> requester told ms' },
    ],
    rows: [Object.fromEntries(keys.map((k) => [k, round(medians[k] ?? null)]))],
    targets: [
      target('requestIntegration invoke answered (median)', medians['requestIntegrationMs'] ?? null, 2000, 'ms'),
      target('approve invoke answered (median)', medians['approveMs'] ?? null, 2000, 'ms'),
    ],
    details: { rounds },
  };
}
