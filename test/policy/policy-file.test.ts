/** APPROVAL_POLICY at start: a good file becomes the policy; a bad one stops the bot with one line per problem. */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { BOB, CAROL, problemsOf, ROOT } from '../support/index.js';

const dir = await mkdtemp(join(tmpdir(), 'policy-file-'));

async function file(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('APPROVAL_POLICY', () => {
  it('names the approvers of every rule as the approvers (who may read requests and set the approvals channel)', async () => {
    const config = loadConfig({ APPROVAL_POLICY: await file('good.json', { default: { approvers: [BOB, CAROL], quorum: 2 } }) });
    expect(config.bot.approverIds).toEqual([BOB, CAROL]);
    expect(config.bot.approvalPolicy.default.stages).toEqual([{ name: 'approvers', approvers: [BOB, CAROL], quorum: 2 }]);
  });

  it('without it, APPROVER_IDS and ALLOW_SELF_APPROVAL are the one rule', () => {
    expect(loadConfig({ APPROVER_IDS: BOB, ALLOW_SELF_APPROVAL: 'true' }).bot.approvalPolicy.default).toMatchObject({
      stages: [{ approvers: [BOB], quorum: 1 }],
      allowSelfApproval: true,
    });
  });

  it('each problem of a bad file is one line naming the file and the place', async () => {
    const bad = await file('bad.json', {
      default: { approvers: [BOB], quorum: 2, colour: 'red' },
      rules: [
        { name: 'a', match: { subscription: '/subscriptions/11111111-1111-4111-8111-111111111111' }, approvers: [CAROL] },
        { name: 'b', match: { subscription: '/subscriptions/11111111-1111-4111-8111-111111111111' }, approvers: [BOB] },
      ],
    });
    expect(problemsOf({ APPROVAL_POLICY: bad })).toEqual([
      `APPROVAL_POLICY (${bad}): default: unknown key "colour" (known: name, approvers, groups, quorum, stages, allowSelfApproval, ttlHours, remindAfterHours, escalate, windows, retryApprovedWithinHours)`,
      `APPROVAL_POLICY (${bad}): default.quorum: 2 approvals needed but only 1 approver is listed`,
      `APPROVAL_POLICY (${bad}): rules "a" and "b" match the same subscription: keep one`,
    ]);
  });

  it('a .yaml or .yml file is read as YAML; a YAML mistake is one line with its place', async () => {
    const yaml = await file('policy.yaml', `default:\n  approvers: [${BOB}, ${CAROL}]\n  quorum: 2\n  remindAfterHours: [24, 72]\n`);
    expect(loadConfig({ APPROVAL_POLICY: yaml }).bot.approvalPolicy.default).toMatchObject({ stages: [{ approvers: [BOB, CAROL], quorum: 2 }], timing: { remindAfterHours: [24, 72] } });
    const broken = await file('broken.yml', `default:\n  approvers: [${BOB}\n  quorum: 2\n`);
    const found = problemsOf({ APPROVAL_POLICY: broken });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^APPROVAL_POLICY=${broken} cannot be read: .*at line \\d+, column \\d+\\.$`));
    const twice = await file('twice.yaml', `default:\n  approvers: [${BOB}]\ndefault:\n  approvers: [${CAROL}]\n`);
    expect(problemsOf({ APPROVAL_POLICY: twice })).toEqual([`APPROVAL_POLICY=${twice} cannot be read: Map keys must be unique at line 3, column 1.`]);
  });

  it('change windows are read into the rule; a bad window is one line per problem', async () => {
    const good = await file('windows.json', { default: { approvers: [BOB], windows: [{ days: ['Sat'], from: '22:00', to: '04:00', timeZone: 'Europe/Berlin' }] } });
    expect(loadConfig({ APPROVAL_POLICY: good }).bot.approvalPolicy.default.windows).toEqual([{ days: ['Sat'], from: '22:00', to: '04:00', timeZone: 'Europe/Berlin' }]);
    const bad = await file('bad-windows.json', {
      default: { approvers: [BOB] },
      rules: [
        {
          name: 'weekends',
          match: { subscription: '/subscriptions/11111111-1111-4111-8111-111111111111' },
          approvers: [CAROL],
          windows: [{ days: ['Samstag'], from: '22:00', to: '25:00', timeZone: 'Berlin', length: 6 }],
        },
      ],
    });
    expect(problemsOf({ APPROVAL_POLICY: bad })).toEqual([
      `APPROVAL_POLICY (${bad}): rules[0].windows[0]: unknown key "length" (known: days, from, to, timeZone)`,
      `APPROVAL_POLICY (${bad}): rules[0].windows[0].days[0]: "Samstag" is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)`,
      `APPROVAL_POLICY (${bad}): rules[0].windows[0].to: "25:00" is not a time "HH:MM" (00:00 to 23:59)`,
      `APPROVAL_POLICY (${bad}): rules[0].windows[0].timeZone: "Berlin" is not a time zone I know (an IANA name such as "Europe/Berlin" or "UTC")`,
    ]);
  });

  it('a missing file, a file that is not JSON, and a policy beside APPROVER_IDS are refused', async () => {
    expect(problemsOf({ APPROVAL_POLICY: join(dir, 'nowhere.json') })).toEqual([`APPROVAL_POLICY=${join(dir, 'nowhere.json')} cannot be read: no such file.`]);
    const notJson = await file('not.json', 'default:\n  approvers: []\n');
    expect(problemsOf({ APPROVAL_POLICY: notJson })[0]).toMatch(new RegExp(`^APPROVAL_POLICY=${notJson} cannot be read: .*not valid JSON`));
    const good = await file('beside.json', { default: { approvers: [BOB] } });
    expect(problemsOf({ APPROVAL_POLICY: good, APPROVER_IDS: CAROL })).toEqual([
      'APPROVAL_POLICY names the approvers: leave APPROVER_IDS and ALLOW_SELF_APPROVAL unset (the policy says who approves and whether self-approval is allowed).',
    ]);
  });

  it('serve stops before it listens, exit code 2, the problems on stderr', async () => {
    const bad = await file('serve-bad.json', { default: { approvers: ['bob@contoso.example'] } });
    const outcome = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = execFile(
        process.execPath,
        [join(ROOT, 'dist', 'src', 'cli.js'), 'serve'],
        { cwd: ROOT, timeout: 20_000, env: { PATH: process.env.PATH ?? '', PORT: '0', DATA_DIR: dir, APPROVAL_POLICY: bad, SANDBOX_SEED: join(ROOT, 'seeds', 'demo.json') } },
        (_error, _stdout, stderr) => done({ code: child.exitCode, stderr }),
      );
    });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`- APPROVAL_POLICY (${bad}): default.approvers[0]: "bob@contoso.example" is not an Entra object id (a GUID)`);
    expect(outcome.stderr).not.toContain('listening');
  });
});
