import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { readCheckFacts } from '../../src/azure/inventory.js';
import { reportJson, writeReportJson } from '../../src/check/report-json.js';
import { hasUsableSubnet, runCheck } from '../../src/check/run-check.js';
import { evaluateEligibility } from '../../src/eligibility/evaluate.js';
import { DEFAULT_SETTINGS } from '../../src/eligibility/facts.js';
import { sandboxWithClients } from '../azure/harness.js';
import { ALICE, apimDocument, instanceId, nsgDocument, SUB, vnetDocument, vnetEstate } from '../support/index.js';

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

function mixedEstate() {
  const seed = vnetEstate(5, 3);
  const defaultRulesOnly = nsgDocument(SUB, 'rg-net', 'nsg-default-rules-only', 'westeurope');
  seed.resources.push(
    defaultRulesOnly,
    vnetDocument(SUB, 'rg-net', 'vnet-mixed', 'westeurope', [
      { name: 'small', prefix: '10.200.0.0/28', delegated: true },
      { name: 'undelegated', prefix: '10.200.1.0/24' },
      { name: 'no-nsg', prefix: '10.200.2.0/24', delegated: true, nsg: null },
      { name: 'default-rules-only', prefix: '10.200.3.0/24', delegated: true, nsg: defaultRulesOnly.id },
    ]),
    vnetDocument(SUB, 'rg-net', 'vnet-north', 'northeurope', [{ name: 'far', prefix: '10.201.0.0/24', delegated: true }]),
    apimDocument(SUB, 'rg-apim', 'busy-apim', 'StandardV2', { provisioningState: 'Updating' }),
  );
  return seed;
}

describe('runCheck', () => {
  it('judges pages as they arrive and reports exactly what judging all the facts at once reports', async () => {
    const h = await sandboxWithClients(mixedEstate(), { pageSize: 2 });
    close = () => h.sandbox.close();
    for (const instance of [instanceId(), instanceId('busy-apim')]) {
      const streamed = (await runCheck(h.arm, { instance, requesterId: ALICE }, DEFAULT_SETTINGS)).report;
      const whole = evaluateEligibility(await readCheckFacts(h.arm, { instance, requesterId: ALICE }), DEFAULT_SETTINGS);
      expect(streamed).toEqual(whole);
      expect(streamed.subnets).toHaveLength(20);
    }
  });

  it('says whether any subnet can be used', async () => {
    const h = await sandboxWithClients(mixedEstate());
    close = () => h.sandbox.close();
    expect(hasUsableSubnet((await runCheck(h.arm, { instance: instanceId() }, DEFAULT_SETTINGS)).report)).toBe(true);
    expect(hasUsableSubnet((await runCheck(h.arm, { instance: instanceId('busy-apim') }, DEFAULT_SETTINGS)).report)).toBe(false);
  });

  it('streams the same JSON document that reportJson builds', async () => {
    const h = await sandboxWithClients(mixedEstate());
    close = () => h.sandbox.close();
    const { report } = await runCheck(h.arm, { instance: instanceId(), requesterId: ALICE }, DEFAULT_SETTINGS);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeReportJson(report, null, out);
    // Subnet findings with details (an NSG finding's tag) are part of the contract too.
    expect(report.subnets.some((s) => s.findings.some((f) => f.details !== undefined))).toBe(true);
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toEqual(reportJson(report));
  });
});
