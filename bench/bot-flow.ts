/**
 * The bot's request flow, timed as Teams would see it: a real `apim-vnet-bot serve` process on the demo seed with
 * its embedded sandbox, driven over HTTP by a small Bot Connector stand-in. Per round: `check` (message),
 * `requestIntegration` (card invoke), `approve` (card invoke), then the time from approve until the sandbox shows
 * the instance integrated and until the requester is told; then a disconnect through the same path, so every round
 * starts from the same state.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
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

interface Sent {
  method: string;
  conversationId: string;
  id: string;
  replyToId: string | null;
  activity: { text?: string; attachments?: { content?: unknown }[] };
  at: number;
}

interface Person {
  id: string;
  name: string;
  aadObjectId: string;
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const REQUEST_ID = /R-[0-9A-Z]{5}/;

export async function botFlow(options: BotFlowOptions): Promise<BotFlowRound[]> {
  const seed = JSON.parse(readFileSync(join(options.root, 'seeds/demo.json'), 'utf8')) as { _people: Record<string, string>; resources: { id: string; name: string; type: string }[] };
  const personId = (name: string) => Object.entries(seed._people).find(([, who]) => who.startsWith(`${name}@`))?.[0] ?? '';
  const alice: Person = { id: '29:alice', name: 'alice', aadObjectId: personId('alice') };
  const bob: Person = { id: '29:bob', name: 'bob', aadObjectId: personId('bob') };
  const instanceId = seed.resources.find((r) => r.type === 'Microsoft.ApiManagement/service' && r.name === 'contoso-apim')?.id ?? '';

  const connector = await startConnector();
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
      APPROVER_IDS: bob.aadObjectId,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const botUrl = `http://127.0.0.1:${botPort}`;
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    await waitFor(async () => (await fetch(`${botUrl}/healthz`).catch(() => null))?.ok === true, 30_000, bot);

    const client = new TeamsClient(botUrl, connector);
    await client.say(bob, 'hi');
    const rounds: BotFlowRound[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const check = await client.say(alice, 'check contoso-apim');
      const options_ = cardOf(check.reply?.activity);
      const choice = findIn(options_, (v) => v['type'] === 'Input.ChoiceSet' && v['id'] === 'subnetId') as { choices?: { title: string; value: string }[] } | undefined;
      const subnet = choice?.choices?.find((c) => /hub-vnet\/apim-outbound\b/.test(c.title));
      const action = findIn(options_, (v) => v['verb'] === 'requestIntegration') as { data?: Record<string, unknown> } | undefined;
      if (!subnet || !action || !check.reply) throw new Error('the options card offers no hub-vnet/apim-outbound');

      const requested = await client.click(alice, 'requestIntegration', { ...action.data, subnetId: subnet.value }, check.reply.id);
      const requestId = REQUEST_ID.exec(JSON.stringify(requested.body))?.[0];
      if (!requestId) throw new Error(`no request was created: ${JSON.stringify(requested.body).slice(0, 300)}`);
      const approvalCard = await waitFor(() => connector.sent.find((s) => s.conversationId === dm(bob) && approvesRequest(s, requestId)));

      const approvedAt = performance.now();
      const approved = await client.click(bob, 'approve', { requestId }, approvalCard.id);
      await waitFor(async () => {
        const doc = (await (await fetch(`${sandboxUrl}/_sandbox/resources${instanceId}`)).json()) as { properties: Record<string, unknown> };
        return doc.properties['virtualNetworkType'] === 'External' && doc.properties['provisioningState'] === 'Succeeded';
      });
      const integratedMs = performance.now() - approvedAt;
      const told = await waitFor(() => connector.sent.find((s) => s.conversationId === dm(alice) && s.at > approvedAt && toldDone(s, requestId)));
      rounds.push({
        round,
        checkMs: check.ms,
        requestIntegrationMs: requested.ms,
        approveMs: approved.ms,
        approveToIntegratedMs: integratedMs,
        approveToRequesterToldMs: told.at - approvedAt,
      });
      options.log(`  round ${round}: requestIntegration ${requested.ms.toFixed(0)} ms, approve ${approved.ms.toFixed(0)} ms, integrated after ${integratedMs.toFixed(0)} ms`);

      const disconnect = await client.say(alice, 'disconnect contoso-apim');
      const disconnectId = REQUEST_ID.exec(JSON.stringify(disconnect.reply?.activity ?? {}))?.[0];
      if (!disconnectId) throw new Error('disconnect made no request');
      const disconnectCard = await waitFor(() => connector.sent.find((s) => s.conversationId === dm(bob) && approvesRequest(s, disconnectId)));
      const disconnectAt = performance.now();
      await client.click(bob, 'approve', { requestId: disconnectId }, disconnectCard.id);
      await waitFor(() => connector.sent.find((s) => s.conversationId === dm(alice) && s.at > disconnectAt && toldDone(s, disconnectId)));
    }
    return rounds;
  } finally {
    bot.kill('SIGTERM');
    await new Promise((resolve) => (bot.exitCode !== null ? resolve(null) : bot.once('exit', resolve)));
    connector.server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Plays the Bot Connector: records every activity the bot sends or updates and answers with an id. */
async function startConnector(): Promise<{ server: Server; url: string; sent: Sent[] }> {
  const sent: Sent[] = [];
  let counter = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const parts = new URL(req.url ?? '/', 'http://connector').pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const id = req.method === 'PUT' ? (parts[4] ?? '') : `activity-${++counter}`;
      sent.push({
        method: req.method ?? 'POST',
        conversationId: parts[2] ?? '',
        id,
        replyToId: req.method === 'POST' ? (parts[4] ?? null) : null,
        activity: body ? (JSON.parse(body) as Sent['activity']) : {},
        at: performance.now(),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, sent };
}

class TeamsClient {
  constructor(
    private readonly botUrl: string,
    private readonly connector: { url: string; sent: Sent[] },
  ) {}

  async say(person: Person, text: string): Promise<{ ms: number; reply: Sent | undefined }> {
    const activity = { ...this.envelope(person), type: 'message', text };
    const { ms } = await this.post(activity);
    return { ms, reply: this.connector.sent.find((s) => s.replyToId === activity.id) };
  }

  async click(person: Person, verb: string, data: Record<string, unknown>, replyToId: string): Promise<{ ms: number; body: unknown }> {
    return this.post({ ...this.envelope(person), type: 'invoke', name: 'adaptiveCard/action', replyToId, value: { action: { type: 'Action.Execute', verb, data } } });
  }

  private envelope(person: Person) {
    return {
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      id: `f:${randomUUID()}`,
      from: person,
      recipient: { id: '28:apim-vnet-bot', name: 'apim-vnet-bot' },
      conversation: { id: dm(person), conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
    };
  }

  private async post(activity: Record<string, unknown>): Promise<{ ms: number; body: unknown }> {
    const started = performance.now();
    const response = await fetch(`${this.botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    const ms = performance.now() - started;
    if (!response.ok) throw new Error(`/api/messages answered ${response.status}: ${text.slice(0, 300)}`);
    return { ms, body: text ? (JSON.parse(text) as unknown) : null };
  }
}

function dm(person: Person): string {
  return `a:dm-${person.name}`;
}

/** The message that tells the requester the request is done. */
function toldDone(sent: Sent, requestId: string): boolean {
  const text = sent.activity.text ?? '';
  return text.includes(requestId) && /is done/.test(text);
}

function cardOf(activity: Sent['activity'] | undefined): unknown {
  return activity?.attachments?.[0]?.content;
}

function approvesRequest(sent: Sent, requestId: string): boolean {
  return findIn(cardOf(sent.activity), (v) => v['verb'] === 'approve' && (v['data'] as { requestId?: string } | undefined)?.requestId === requestId) !== undefined;
}

function findIn(value: unknown, match: (v: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findIn(item, match);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (match(record)) return record;
    for (const item of Object.values(record)) {
      const found = findIn(item, match);
      if (found) return found;
    }
  }
  return undefined;
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
