/**
 * The audit log from both ends: `audit <request id>` in chat, and `apim-vnet-bot audit --since` exporting
 * JSON lines (read beside a running bot: the export does not take the DATA_DIR lock).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCommand } from '../../src/cli/audit.js';
import { alice, approvalCard, BOB, bob, BotHarness, checkAndRequest, CLI, estate, groupChat, ROOT, subnetId, TENANT, told } from '../support/index.js';

let h: BotHarness;
let requestId: string;
const chat = groupChat('audit');

beforeAll(async () => {
  h = await BotHarness.start({ seed: estate(), tenantId: TENANT, env: { APPROVER_IDS: BOB } });
  ({ requestId } = await checkAndRequest(h, alice, chat, 'contoso-apim', subnetId('hub-vnet', 'apim-outbound')));
  const approval = await approvalCard(h, chat.id, requestId);
  await h.click(bob, chat, 'approve', { requestId, reason: 'change CHG-1234' }, approval.activityId);
  await told(h, chat.id, new RegExp(`${requestId} is done`));
  await h.idle();
});
afterAll(async () => {
  await h?.close();
});

describe('audit in chat', () => {
  it('`audit <request id>` lists every change: who, when, from, to, details, the ARM operation', async () => {
    const { reply } = await h.say(alice, chat, `audit ${requestId.toLowerCase()}`);
    const text = reply?.activity.text as string;
    expect(text).toContain(`Audit log of ${requestId} (contoso-apim → hub-vnet/apim-outbound), oldest first:`);
    const lines = text.split('\n').filter((l) => l.startsWith('- '));
    expect(lines.map((l) => /\*\*(.*?)\*\*/.exec(l)?.[1])).toEqual(['new → pending', 'pending → approved', 'approved → applying', 'applying', 'applying → succeeded']);
    expect(lines[1]).toContain(`Bob (${BOB}): change CHG-1234`);
    expect(lines[3]).toMatch(/bot: ARM accepted the instance update \(PATCH service\)\. \(ARM operation [0-9a-f-]{36}\)/);
    expect(lines[4]).toContain('bot: contoso-apim is now integrated with hub-vnet/apim-outbound.');
    const unknown = await h.say(alice, chat, 'audit R-00000');
    expect(unknown.reply?.activity.text).toContain('I have no request R-00000 that you can see.');
    const bad = await h.say(alice, chat, 'audit everything');
    expect(JSON.stringify(bad.reply?.activity)).toContain('is not a request id');
  });
});

describe('apim-vnet-bot audit', () => {
  it('exports JSON lines since a date, from the running bot\'s DATA_DIR', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'audit', '--since', '2000-01-01'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: h.dataDir },
    });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => `${String(l.from)}>${String(l.to)}`)).toEqual(['null>pending', 'pending>approved', 'approved>applying', 'applying>applying', 'applying>succeeded']);
    expect(Object.keys(lines[0]!)).toEqual(['at', 'requestId', 'actor', 'from', 'to', 'details', 'armOperationId']);
    expect(lines.every((l) => l.requestId === requestId)).toBe(true);
    expect(lines[1]).toMatchObject({ actor: `Bob (${BOB})`, details: 'change CHG-1234' });
  });

  it('filters by time and request, and refuses a date that is not ISO 8601', async () => {
    const out: string[] = [];
    const env = { DATA_DIR: h.dataDir };
    const all = (await h.app.stores.audit.forRequest(requestId)).map((e) => e.at);
    await auditCommand(['--since', all[2]!], env, (t) => out.push(t));
    expect(out.join('').trim().split('\n')).toHaveLength(3);
    out.length = 0;
    await auditCommand(['--since', '2999-01-01T00:00:00Z'], env, (t) => out.push(t));
    expect(out.join('')).toBe('');
    await auditCommand(['--request', requestId.toLowerCase()], env, (t) => out.push(t));
    expect(out.join('').trim().split('\n')).toHaveLength(5);
    await expect(auditCommand(['--since', 'last tuesday'], env)).rejects.toThrow(/not an ISO 8601 date/);
    await expect(auditCommand(['--since', '2024-13-45'], env)).rejects.toThrow(/not an ISO 8601 date/);
    await expect(auditCommand(['--what'], env)).rejects.toThrow(/usage: apim-vnet-bot audit/);
    await expect(auditCommand(['--format', 'xml'], env)).rejects.toThrow(/--format xml is not one of: jsonl, csv/);
  });

  it('exports the same entries as CSV: a header, one row each, the approver\'s reason quoted as written', async () => {
    const out: string[] = [];
    await auditCommand(['--request', requestId, '--format', 'csv'], { DATA_DIR: h.dataDir }, (t) => out.push(t));
    const rows = out.join('').split('\r\n').filter(Boolean);
    expect(rows[0]).toBe('at,requestId,actor,from,to,details,armOperationId');
    expect(rows).toHaveLength(1 + (await h.app.stores.audit.forRequest(requestId)).length);
    expect(rows.find((r) => r.includes(',pending,approved,'))).toContain('change CHG-1234');
    expect(rows.slice(1).every((r) => r.startsWith(`20`) && r.includes(`,${requestId},`))).toBe(true);
  });
});
