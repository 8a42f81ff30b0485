/**
 * Decompression bombs and lying encodings against the bot as its own process (`dist/src/cli.js serve`, with a
 * Microsoft App Id, so nothing here carries a token): its memory stays bounded and it stays up.
 * Runs the built code: `npm test` builds first.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, compressedZeros, estate, message, personalChat, startBotProcess, startSandboxProcess, TENANT, user } from '../support/index.js';

const MB = 1024 * 1024;
const BOMB_DECODED_BYTES = 200 * MB;
const MAX_RSS_GROWTH_BYTES = 150 * MB;

let dir: string;
let sandbox: ChildServer;
let bot: ChildServer;
let botExit: number | null | undefined;
let bomb: Buffer;

/** Kilobytes of a /proc/<pid>/status line: VmRSS (resident now) or VmHWM (peak resident). */
function memoryKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? NaN);
}

/** Starts counting VmHWM from now (Linux: writing 5 to clear_refs resets the peak). */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function post(body: Buffer | string, headers: Record<string, string>) {
  return fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apim-bomb-'));
  [sandbox, bomb] = await Promise.all([startSandboxProcess(estate(), join(dir, 'seed.json'), { lroSeconds: 1 }), compressedZeros(BOMB_DECODED_BYTES)]);
  bot = await startBotProcess({
    ARM_ENDPOINT: sandbox.url,
    DATA_DIR: join(dir, 'data'),
    MicrosoftAppId: '11111111-2222-4333-8444-555555555555',
    MicrosoftAppPassword: 'x',
    MicrosoftAppType: 'MultiTenant',
  });
  void bot.exited.then((code) => (botExit = code));
}, 60_000);

afterAll(async () => {
  await Promise.all([bot?.kill('SIGKILL'), sandbox?.kill('SIGKILL')]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the bot process, with MicrosoftAppId set', () => {
  it(`answers a gzip body that expands to ${BOMB_DECODED_BYTES / MB} MB with 413, growing by less than ${MAX_RSS_GROWTH_BYTES / MB} MB`, async () => {
    expect(bomb.length).toBeLessThan(MB);
    // Warm up the request path, then measure from there.
    const alice = user('Alice', '00000000-0000-0000-0000-00000000a11c');
    expect((await post(JSON.stringify(message(sandbox.url, TENANT, personalChat(alice), alice, 'help')), {})).status).toBe(401);
    expect((await post(await compressedZeros(2 * MB), { 'content-encoding': 'gzip' })).status).toBe(413);
    const before = memoryKb(bot.pid, 'VmRSS');
    const peakWasReset = resetPeak(bot.pid);

    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await post(bomb, { 'content-encoding': 'gzip' });
      statuses.push(response.status);
      expect(await response.json()).toMatchObject({ code: 'BODY_TOO_LARGE' });
    }
    const together = await Promise.all([1, 2, 3].map(() => post(bomb, { 'content-encoding': 'gzip' })));
    statuses.push(...together.map((r) => r.status));

    const peak = memoryKb(bot.pid, peakWasReset ? 'VmHWM' : 'VmRSS');
    const growthBytes = (peak - before) * 1024;
    console.info(`bot RSS before ${Math.round(before / 1024)} MB, peak during the bombs ${Math.round(peak / 1024)} MB (${peakWasReset ? 'VmHWM' : 'VmRSS'}), growth ${Math.round(growthBytes / MB)} MB`);
    expect(statuses).toEqual([413, 413, 413, 413, 413, 413, 413, 413]);
    expect(growthBytes).toBeLessThan(MAX_RSS_GROWTH_BYTES);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  }, 60_000);

  it('answers lying and unknown encodings with 4xx and stays up', async () => {
    const lies: [Buffer | string, Record<string, string>, number][] = [
      ['this is not gzip at all', { 'content-encoding': 'gzip' }, 400],
      [JSON.stringify({ type: 'message' }), { 'content-encoding': 'deflate' }, 400],
      [bomb.subarray(0, 4000), { 'content-encoding': 'gzip' }, 413],
      [bomb.subarray(0, 100), { 'content-encoding': 'gzip' }, 400],
      ['{}', { 'content-encoding': 'br' }, 415],
      ['{}', { 'content-type': 'text/plain' }, 415],
    ];
    for (const [body, headers, status] of lies) {
      expect((await post(body, headers)).status).toBe(status);
      expect(botExit).toBeUndefined();
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    }
  });
});
