import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FindingCode } from '../../src/eligibility/codes.js';

const root = join(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const envSample = readFileSync(join(root, '.env.sample'), 'utf8');

function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('the README', () => {
  it('documents every setting of .env.sample in its configuration table, and no other', () => {
    const sample = new Set([...envSample.matchAll(/^#? ?([A-Za-z_]+)=/gm)].map((m) => m[1]));
    const table = new Set([...section('Configuration').matchAll(/`([A-Za-z_]+)`/g)].map((m) => m[1]).filter((k) => /^[A-Z][A-Za-z_]+$/.test(k ?? '') && !/^(true|false)$/.test(k ?? '')));
    for (const key of sample) expect(table, `${key} is in .env.sample but not in the README`).toContain(key);
    const settingsInTable = [...section('Configuration').matchAll(/^\| `([A-Za-z_]+)`/gm)].map((m) => m[1]);
    for (const key of settingsInTable) expect(sample, `${key} is in the README table but not in .env.sample`).toContain(key);
  });

  it('documents every finding code', () => {
    const codes = section('Finding codes');
    for (const code of Object.values(FindingCode)) expect(codes).toContain(`\`${code}\``);
  });

  it('has exactly two command lines in its quick start, and the test line is the one CI runs', () => {
    const quickStart = section('Quick start');
    const lines = [...quickStart.matchAll(/```\n([^`]+?)\n```/g)].map((m) => m[1]);
    expect(lines).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    expect(readFileSync(join(root, '.ci/run'), 'utf8')).toMatch(/^npm ci && npm test$/m);
  });
});
