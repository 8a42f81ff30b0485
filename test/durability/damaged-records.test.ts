/**
 * A damaged record in DATA_DIR, through the bot: a garbage request file, a request file of the wrong shape and a
 * truncated settings.json, there before the bot starts. The bot starts, moves them to quarantine (bytes kept), and
 * every request feature keeps working; the sweep still expires; /healthz says `degraded` and names them.
 */
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { alice, approvalCard, BOB, bob, BotHarness, cardOf, estate, FakeClock, groupChat, invokeCard, REQUEST_ID, subnetId, TENANT, textOf, told, useBot } from '../support/index.js';

const bot = useBot();
let h: BotHarness | null = null;

const GARBAGE = Buffer.from([0x7b, 0x22, 0x69, 0x64, 0xff, 0xfe, 0x00, 0x9c, 0x80]);
const WRONG_SHAPE = '{"id":"R-WRONG","state":"pending"}';
const TRUNCATED_SETTINGS = '{"approvalsChannel":{"conversation":{"conversationId":"19:gone';

/** What the bot answered: a text, or the text of a card. */
const answer = (reply: { activity: Record<string, any> } | null | undefined) => `${reply?.activity.text ?? ''}${textOf(cardOf(reply?.activity))}`;

describe('a damaged file store', () => {
  it('requests, status and connect keep working, the sweep still expires, and /healthz names what was quarantined', async () => {
    const clock = new FakeClock();
    const log: Record<string, unknown>[] = [];
    h = await bot.start({
      seed: estate(),
      tenantId: TENANT,
      clock: clock.now,
      logger: createLogger('debug', (line) => log.push(JSON.parse(line) as Record<string, unknown>)),
      env: { APPROVER_IDS: BOB, REQUEST_TTL_HOURS: '48' },
      prepareDataDir: async (dir) => {
        await mkdir(join(dir, 'requests'), { recursive: true });
        await writeFile(join(dir, 'requests', 'R-GARB1.json'), GARBAGE);
        await writeFile(join(dir, 'requests', 'R-WRONG.json'), WRONG_SHAPE);
        await writeFile(join(dir, 'settings.json'), TRUNCATED_SETTINGS);
      },
    });
    const chat = groupChat('damaged');

    const none = await h.say(alice, chat, 'requests');
    expect(none.status).toBe(200);
    expect(answer(none.reply)).not.toMatch(/Something went wrong/);

    const asked = await h.say(alice, chat, 'connect contoso-apim to hub-vnet/apim-outbound');
    expect(answer(asked.reply)).not.toMatch(/Something went wrong/);
    const requestId = REQUEST_ID.exec(answer(asked.reply))?.[0];
    expect(requestId, answer(asked.reply)).toBeTruthy();
    // The approvals channel of the damaged settings is gone: the approval card goes where the request was made.
    await approvalCard(h, chat.id, requestId!);
    await h.idle();

    const listed = await h.say(alice, chat, 'requests');
    expect(answer(listed.reply)).toContain(requestId);
    const status = await h.say(alice, chat, 'status contoso-apim');
    expect(answer(status.reply)).toContain(`Latest request: ${requestId}`);
    const again = await h.say(alice, chat, 'connect contoso-apim to hub-vnet/apim-outbound');
    expect(answer(again.reply)).toContain(requestId);
    expect(answer(again.reply)).not.toMatch(/Something went wrong/);

    const health = await fetch(`${h.app.url}/healthz`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; store: { kind: string; quarantined: number; items: { name: string; reason: string }[]; badAuditLines: number } };
    expect(body.status).toBe('degraded');
    expect(body.store).toMatchObject({ kind: 'file', quarantined: 3, badAuditLines: 0 });
    expect(body.store.items.map((i) => i.name).sort()).toEqual(['requests/R-GARB1.json', 'requests/R-WRONG.json', 'settings.json']);
    expect(body.store.items.find((i) => i.name === 'requests/R-WRONG.json')?.reason).toBe('the request has no string createdAt');

    // Kept byte for byte in DATA_DIR/quarantine, and named once each in the log.
    const kept = async (folder: string, prefix: string) => {
      const names = (await readdir(join(h!.dataDir, 'quarantine', folder))).filter((n) => n.startsWith(prefix));
      expect(names, prefix).toHaveLength(1);
      return readFile(join(h!.dataDir, 'quarantine', folder, names[0]!));
    };
    expect((await kept('requests', 'R-GARB1.json.')).equals(GARBAGE)).toBe(true);
    expect((await kept('requests', 'R-WRONG.json.')).toString()).toBe(WRONG_SHAPE);
    expect((await kept('.', 'settings.json.')).toString()).toBe(TRUNCATED_SETTINGS);
    for (const name of ['requests/R-GARB1.json', 'requests/R-WRONG.json', 'settings.json']) {
      expect(log.filter((l) => l.level === 'warn' && l.name === name), name).toHaveLength(1);
    }

    // The sweep goes on: the request expires on time and its cards say so.
    clock.advanceHours(49);
    await h.app.sweep();
    await told(h, chat.id, new RegExp(`${requestId} \\(.*\\) expired without a decision`));
    await h.idle();
    expect((await h.app.stores.requests.get(requestId!))?.state).toBe('expired');
    const late = await h.click(bob, chat, 'approve', { requestId }, null);
    expect(textOf(invokeCard(late)) + String(late.body?.value ?? '')).toMatch(/has expired/);
  });
});
