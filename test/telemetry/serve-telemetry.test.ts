/**
 * `serve` as a process (the built dist/): with APPLICATIONINSIGHTS_CONNECTION_STRING it sends its telemetry to the
 * Application Insights ingestion endpoint the connection string names (here a stand-in on 127.0.0.1 that speaks
 * the track API, over https as the exporter insists, with a certificate made for the test by openssl and trusted
 * through NODE_EXTRA_CA_CERTS); without it, nothing of OpenTelemetry is loaded at all. Outbound connections beyond this machine
 * are refused by the demo's loopback guard (`--import`), whatever the SDK tries (its VM metadata probe, SDK stats).
 * Build first: `npm test` does.
 */
import { execFileSync } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alice, BotClient, CLI, estate, FakeConnector, personalChat, ROOT, startBotProcess, TENANT, type ChildServer } from '../support/index.js';

interface Envelope {
  name: string;
  tags?: Record<string, string>;
  data?: { baseType?: string; baseData?: Record<string, any> };
}

/** The ingestion endpoint's part of the track API: POST …/track with a (gzipped) JSON array of envelopes. */
async function startIngestion(tls: { key: string; cert: string }): Promise<{ url: string; envelopes: Envelope[]; close(): Promise<void> }> {
  const envelopes: Envelope[] = [];
  const server: Server = createServer(tls, (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let received = 0;
      if (req.method === 'POST' && /\/v2(\.1)?\/track$/.test(req.url ?? '')) {
        const raw = Buffer.concat(chunks);
        const body = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
        const parsed = body.trim().startsWith('[') ? (JSON.parse(body) as Envelope[]) : body.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Envelope);
        envelopes.push(...parsed);
        received = parsed.length;
      }
      // Live metrics pings and anything else: accepted and ignored.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: received, itemsAccepted: received, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `https://127.0.0.1:${port}/`, envelopes, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let dir = '';
let connector: FakeConnector;
let nodeOptions = '';
let tls: { key: string; cert: string };
const loadedFile = () => join(dir, 'loaded.txt');
const bots: ChildServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apim-bot-telemetry-'));
  await writeFile(join(dir, 'seed.json'), JSON.stringify(estate()));
  // Records every OpenTelemetry module the process resolves (the bot's telemetry is loaded with import()).
  await writeFile(
    join(dir, 'record-hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (/opentelemetry|\\/telemetry\\/start\\.js$/.test(resolved.url)) appendFileSync(${JSON.stringify(loadedFile())}, resolved.url + '\\n');
  return resolved;
}
`,
  );
  await writeFile(join(dir, 'record.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'record-hooks.mjs')).href)});\n`);
  const guard = pathToFileURL(join(ROOT, 'dist', 'src', 'demo', 'playground-guard.js')).href;
  nodeOptions = `--import ${guard} --import ${pathToFileURL(join(dir, 'record.mjs')).href}`;
  connector = await FakeConnector.start();
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  tls = { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
});

afterEach(async () => {
  await Promise.all(bots.splice(0).map((b) => b.kill('SIGKILL')));
  await rm(loadedFile(), { force: true });
});

afterAll(async () => {
  await connector?.close();
  await rm(dir, { recursive: true, force: true });
});

async function serve(env: Record<string, string>): Promise<{ bot: ChildServer; client: BotClient }> {
  const bot = await startBotProcess({ NODE_OPTIONS: nodeOptions, SANDBOX_SEED: join(dir, 'seed.json'), SANDBOX_LRO_SECONDS: '0.3', DATA_DIR: join(dir, `data-${bots.length}-${Date.now()}`), ...env });
  bots.push(bot);
  return { bot, client: new BotClient(bot.url, connector, TENANT) };
}

const loaded = async () => (await readFile(loadedFile(), 'utf8').catch(() => '')).split('\n').filter(Boolean);
const logLines = (bot: ChildServer) =>
  bot
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('serve and Application Insights', () => {
  it('without APPLICATIONINSIGHTS_CONNECTION_STRING: nothing of OpenTelemetry is loaded, and the bot answers', async () => {
    const { bot, client } = await serve({ LOG_LEVEL: 'debug' });
    const asked = await client.say(alice, personalChat(alice), 'check contoso-apim');
    expect(asked.status).toBe(200);
    expect(asked.reply, bot.output()).toBeTruthy();
    await bot.kill('SIGTERM');
    expect(await loaded()).toEqual([]);
    const lines = logLines(bot);
    expect(lines.some((l) => l.msg === 'arm request')).toBe(true);
    expect(lines.filter((l) => 'traceId' in l)).toEqual([]);
  });

  it('with it: the turn, the ARM requests beneath it and the check metric reach the ingestion endpoint, and the log lines carry the trace', async () => {
    const ingestion = await startIngestion(tls);
    try {
      const connectionString = `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=${ingestion.url};LiveEndpoint=${ingestion.url}`;
      const { bot, client } = await serve({ LOG_LEVEL: 'debug', APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') });
      const asked = await client.say(alice, personalChat(alice), 'check contoso-apim');
      expect(asked.reply, bot.output()).toBeTruthy();
      // Stopping flushes what is buffered (spans in batches, metrics every minute).
      await bot.kill('SIGTERM');
      expect(await bot.exited, bot.output()).toBe(0);
      expect(await loaded()).toContainEqual(expect.stringContaining('@azure/monitor-opentelemetry'));

      const dependencies = ingestion.envelopes.filter((e) => e.data?.baseType === 'RemoteDependencyData').map((e) => ({ tags: e.tags ?? {}, data: e.data!.baseData! }));
      const turns = dependencies.filter((d) => d.data.name === 'turn message');
      expect(turns, JSON.stringify(ingestion.envelopes.map((e) => e.data?.baseData?.name)).slice(0, 2_000)).toHaveLength(1);
      const turn = turns[0]!;
      expect(turn.data.properties).toMatchObject({ 'apim_vnet_bot.command': 'check', 'apim_vnet_bot.activity.type': 'message' });
      const operationId = turn.tags['ai.operation.id'];
      expect(operationId).toMatch(/^[0-9a-f]{32}$/);

      // The Azure SDK's own spans of the ARM requests (its tracing policy marks them with az.namespace; the HTTP
      // instrumentation's spans of the same requests do not), each a descendant of the turn.
      const byId = new Map(dependencies.map((d) => [d.data.id as string, d]));
      const underTurn = (d: (typeof dependencies)[number]) => {
        for (let at: typeof d | undefined = d; at; at = byId.get(at.tags['ai.operation.parentId'] ?? '')) if (at === turn) return true;
        return false;
      };
      const arm = dependencies.filter((d) => 'az.namespace' in (d.data.properties ?? {}) && /\/subscriptions(\/|\?)/.test(String(d.data.data ?? '')));
      expect(arm.length).toBeGreaterThanOrEqual(5);
      for (const d of arm) {
        expect(d.tags['ai.operation.id']).toBe(operationId);
        expect(underTurn(d), `${d.data.name} under the turn`).toBe(true);
      }

      const turnId = turn.data.properties['apim_vnet_bot.turn.id'];
      const ofTurn = logLines(bot).filter((l) => l.turnId === turnId);
      expect(ofTurn.length).toBeGreaterThan(0);
      for (const line of ofTurn) expect(line.traceId).toBe(operationId);

      const metrics = ingestion.envelopes.filter((e) => e.data?.baseType === 'MetricData').flatMap((e) => (e.data!.baseData!.metrics ?? []) as { name: string }[]);
      expect(metrics.map((m) => m.name)).toContain('apim_vnet_bot.check.duration');
    } finally {
      await ingestion.close();
    }
  });

  it('a connection string that is not one stops serve at start, in one line', async () => {
    const outcome = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = execFile(
        process.execPath,
        [CLI, 'serve'],
        { cwd: ROOT, timeout: 20_000, env: { PATH: process.env.PATH ?? '', PORT: '0', DATA_DIR: join(dir, 'refused'), APPLICATIONINSIGHTS_CONNECTION_STRING: 'https://example.invalid/' } },
        (_error, _stdout, stderr) => done({ code: child.exitCode, stderr }),
      );
    });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr.split('\n').filter((l) => l.includes('APPLICATIONINSIGHTS_CONNECTION_STRING'))).toEqual([
      '- APPLICATIONINSIGHTS_CONNECTION_STRING does not look like an Application Insights connection string (no InstrumentationKey).',
    ]);
  });
});

