/**
 * A bot process paused (SIGSTOP) past its DATA_DIR lease while a second process starts on the same folder and
 * takes the lease over. When the first one resumes, approve clicks are waiting for it; it must write nothing:
 * of thirty clicks over both processes exactly one wins, the audit has one `pending → approved` line, ARM gets
 * one PATCH, and the paused process exits saying why. Runs the built bot (`npm test` builds first).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { fileStores } from '../../src/requests/store/index.js';
import { alice, approvalCard, BOB, bob, BotClient, checkAndRequest, type ChildServer, DAVE, dave, estate, FakeConnector, groupChat, type HttpResult, invokeCard, startBotProcess, startSandboxProcess, subnetId, TENANT, textOf, told } from '../support/index.js';
import { acceptedPatches } from './helpers.js';

/** The shortest lease the configuration allows, so that the pause is short too. */
const LEASE_SECONDS = 5;
const CLICKS = 30;

let dir: string;
let connector: FakeConnector;
const children: ChildServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apim-paused-'));
  connector = await FakeConnector.start();
});
afterAll(async () => {
  for (const child of children) {
    try {
      process.kill(child.pid, 'SIGCONT');
    } catch {
      // already gone
    }
  }
  await Promise.all(children.map((c) => c.kill('SIGKILL')));
  await connector?.close();
  await rm(dir, { recursive: true, force: true });
});

type Outcome = { via: 'A' | 'B'; kind: 'won' | 'told who approved' | 'told this process stopped' | 'connection cut'; text: string };

function outcomeOf(via: 'A' | 'B', click: Promise<HttpResult>): Promise<Outcome> {
  return click.then(
    (result) => {
      const text = textOf(invokeCard(result)) || (typeof result.body === 'string' ? result.body : JSON.stringify(result.body));
      if (/This bot process stopped/.test(text)) return { via, kind: 'told this process stopped', text };
      if (/already approved/.test(text)) return { via, kind: 'told who approved', text };
      return { via, kind: 'won', text };
    },
    // The process closed its listening socket before it had accepted this connection.
    (error: Error) => ({ via, kind: 'connection cut', text: String((error.cause as Error | undefined)?.message ?? error.message) }),
  );
}

const count = (outcomes: Outcome[], via: Outcome['via'] | null, kind: Outcome['kind']) => outcomes.filter((o) => (via === null || o.via === via) && o.kind === kind).length;

describe('a bot process paused past its DATA_DIR lease', () => {
  it('resumes to find DATA_DIR taken over: it writes nothing and exits; of 30 clicks over both processes one wins', async () => {
    const sandbox = await startSandboxProcess(estate(), join(dir, 'seed.json'), { lroSeconds: 0.5 });
    children.push(sandbox);
    const dataDir = join(dir, 'data');
    const env = { ARM_ENDPOINT: sandbox.url, APPROVER_IDS: `${BOB},${DAVE}`, DATA_DIR: dataDir, DATA_DIR_LEASE_SECONDS: String(LEASE_SECONDS) };
    const a = await startBotProcess(env);
    children.push(a);
    const viaA = new BotClient(a.url, connector, TENANT);
    const chat = groupChat('paused');
    const { requestId } = await checkAndRequest(viaA, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound'));
    const approval = await approvalCard(viaA, chat.id, requestId);

    process.kill(a.pid, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, (LEASE_SECONDS + 1) * 1000));
    const b = await startBotProcess(env);
    children.push(b);
    const viaB = new BotClient(b.url, connector, TENANT);

    // A's clicks are sent while it is still stopped: they wait in its listen queue and reach it the moment it
    // resumes, before its heartbeat timer has done anything, so only the check before each write stands
    // between them and a second approval.
    const click = (client: BotClient, i: number) => client.click(i % 2 ? dave : bob, chat, 'approve', { requestId }, approval.activityId);
    const atA = Array.from({ length: CLICKS / 2 }, (_, i) => outcomeOf('A', click(viaA, i)));
    await new Promise((r) => setTimeout(r, 300));
    process.kill(a.pid, 'SIGCONT');
    const atB = Array.from({ length: CLICKS / 2 }, (_, i) => outcomeOf('B', click(viaB, i)));
    const outcomes = await Promise.all([...atA, ...atB]);

    const summary = outcomes.map((o) => `${o.via} ${o.kind}: ${o.text.slice(0, 200)}`).join('\n');
    expect(count(outcomes, null, 'won'), summary).toBe(1);
    // Every click that waited for A is answered: the first ones meet the check before A's write and are told that
    // nothing was recorded; any A reads after B's approval landed (the machine's load decides how many) only tells
    // who approved. None of A's wins.
    const stoppedAtA = count(outcomes, 'A', 'told this process stopped');
    expect(stoppedAtA, summary).toBeGreaterThanOrEqual(1);
    expect(stoppedAtA + count(outcomes, 'A', 'told who approved'), summary).toBe(CLICKS / 2);
    expect(count(outcomes, 'B', 'told who approved') + count(outcomes, 'B', 'won'), summary).toBe(CLICKS / 2);
    const winner = outcomes.find((o) => o.kind === 'won')!;
    const decided = (await fileStores(dataDir).requests.get(requestId))!.history.find((e) => e.from === 'pending')!;
    expect(decided.to).toBe('approved');
    for (const o of outcomes.filter((o) => o.kind === 'told who approved')) expect(o.text).toContain(`already approved: ${decided.by!.name} approved it at`);
    expect(winner.text).toContain(requestId);

    expect(await a.exited).toBe(5);
    expect(a.output()).toContain(
      `apim-vnet-bot: DATA_DIR ${dataDir} was taken over by process ${b.pid} on host ${hostname()} while this process was paused (its lock was not renewed for `,
    );
    expect(a.output()).toContain('this process stopped without writing.');

    await told(viaB, chat.id, new RegExp(`${requestId} is done`));
    const audit = await fileStores(dataDir, silentLogger).audit.forRequest(requestId);
    expect(audit.filter((e) => e.from === 'pending' && e.to === 'approved')).toHaveLength(1);
    expect(await acceptedPatches(sandbox.url, 'contoso-apim')).toBe(1);
  }, 60_000);
});
