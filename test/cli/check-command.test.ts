import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, apimDocument, instanceId, SUB, vnetDocument, vnetEstate } from '../support/index.js';

const CLI = join(import.meta.dirname, '../../dist/src/cli.js');
let dir: string;
let seedFile: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apim-check-'));
  const seed = vnetEstate(2, 2);
  seed.resources.push(
    apimDocument(SUB, 'rg-apim', 'tiny-apim'),
    apimDocument(SUB, 'rg-a', 'payments'),
    apimDocument(SUB, 'rg-b', 'payments'),
    vnetDocument(SUB, 'rg-net', 'vnet-small', 'westeurope', [{ name: 'snet-28', prefix: '10.99.0.0/28', delegated: true }]),
  );
  seedFile = join(dir, 'seed.json');
  await writeFile(seedFile, JSON.stringify(seed));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('apim-vnet-bot check', () => {
  it('prints the JSON report and exits 0 when a subnet is eligible', async () => {
    const run = await cli(['check', instanceId(), '--seed', seedFile, '--as', ALICE, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.instance).toEqual({
      id: instanceId(),
      name: 'contoso-apim',
      sku: 'StandardV2',
      location: 'West Europe',
      virtualNetworkType: 'None',
      subnetResourceId: null,
      provisioningState: 'Succeeded',
    });
    expect(report.requesterChecked).toBe(true);
    expect(report.proposal).toBeNull();
    expect(report.subnets[0]).toMatchObject({ verdict: 'eligible', vnetId: expect.stringContaining('/virtualNetworks/vnet-') });
    expect(Object.keys(report.subnets[0]).sort()).toEqual(['addressPrefix', 'addressPrefixes', 'findings', 'id', 'name', 'verdict', 'vnetId']);
    const tooSmall = report.subnets.find((s: { name: string }) => s.name === 'snet-28');
    expect(tooSmall.verdict).toBe('ineligible');
    expect(tooSmall.findings.map((f: { code: string }) => f.code)).toContain('SUBNET_TOO_SMALL');
    for (const f of tooSmall.findings) expect(Object.keys(f).sort()).toEqual(['code', 'fix', 'message', 'severity']);
  });

  it('explains every problem in the readable report and says the requester checks were skipped', async () => {
    const run = await cli(['check', 'contoso-apim', '--seed', seedFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('contoso-apim');
    expect(run.stdout).toMatch(/eligible\s+vnet-0\/snet-0/);
    expect(run.stdout).toContain('SUBNET_TOO_SMALL');
    expect(run.stdout).toContain('fix:');
    expect(run.stdout).toContain('--as');
  });

  it('exits 1 when the named subnet is not eligible', async () => {
    const subnet = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-small/subnets/snet-28`;
    const run = await cli(['check', 'tiny-apim', '--subnet', subnet, '--seed', seedFile, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).subnets).toHaveLength(1);
  });

  it('exits 2 for an unknown instance, with the message on stderr', async () => {
    const run = await cli(['check', 'no-such-apim', '--seed', seedFile]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('No API Management instance named no-such-apim');
  });

  it('exits 2 for an ambiguous name and lists the matches', async () => {
    const run = await cli(['check', 'payments', '--seed', seedFile]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('rg-a');
    expect(run.stderr).toContain('rg-b');
  });

  it('exits 2 on bad input', async () => {
    expect((await cli(['check'])).code).toBe(2);
    expect((await cli(['check', 'x', '--as', 'alice'])).code).toBe(2);
    expect((await cli(['check', 'x', '--bogus'])).code).toBe(2);
    expect((await cli(['check', 'x', '--seed', join(dir, 'missing.json')])).code).toBe(2);
  });

  it('exits 3 when ARM cannot be read', async () => {
    const run = await cli(['check', instanceId()], { ARM_ENDPOINT: 'http://127.0.0.1:9', ARM_MAX_RETRIES: '0', ARM_TIMEOUT_MS: '2000' });
    expect(run.code).toBe(3);
    expect(run.stderr).not.toContain('    at ');
  });
});
