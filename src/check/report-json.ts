import type { Writable } from 'node:stream';
import type { EligibilityReport, Finding, SubnetReport } from '../eligibility/report.js';
import type { ProposalOutcome } from '../proposal/index.js';

/** The `check --json` document. Its shape is a contract: scripts read it. */
export function reportJson(report: EligibilityReport, proposal: ProposalOutcome | null = null) {
  return { ...reportHead(report, proposal), subnets: report.subnets.map(subnetJson) };
}

/**
 * Writes the same document as `reportJson`, one subnet per line, without ever holding the whole text:
 * a subscription of 20,000 subnets makes tens of megabytes of JSON.
 */
export async function writeReportJson(report: EligibilityReport, proposal: ProposalOutcome | null, out: Writable): Promise<void> {
  const head = JSON.stringify(reportHead(report, proposal));
  let chunk = `${head.slice(0, -1)},"subnets":[`;
  for (const [i, subnet] of report.subnets.entries()) {
    chunk += `${i === 0 ? '' : ','}\n${subnetText(subnet)}`;
    if (chunk.length > 1 << 20) {
      await write(out, chunk);
      chunk = '';
    }
  }
  await write(out, `${chunk}\n]}\n`);
}

function reportHead(report: EligibilityReport, outcome: ProposalOutcome | null) {
  const { instance } = report;
  const proposal = outcome?.proposal ?? null;
  return {
    instance: {
      id: instance.id,
      name: instance.name,
      sku: instance.skuName,
      location: instance.location,
      virtualNetworkType: instance.virtualNetworkType,
      subnetResourceId: instance.subnetResourceId,
      provisioningState: instance.provisioningState,
    },
    requesterChecked: report.requesterChecked,
    findings: report.findings.map(findingJson),
    proposal: proposal && {
      vnetId: proposal.vnetId,
      name: proposal.name,
      addressPrefix: proposal.addressPrefix,
      nsg: 'create' in proposal.nsg ? { id: proposal.nsg.id, create: true } : { id: proposal.nsg.id, create: false },
    },
    proposalRefused: outcome?.reason ?? null,
  };
}

function subnetJson(s: SubnetReport) {
  return {
    id: s.id,
    name: s.name,
    vnetId: s.vnetId,
    addressPrefix: s.addressPrefix,
    addressPrefixes: s.addressPrefixes,
    verdict: s.verdict,
    findings: s.findings.map(findingJson),
  };
}

/** `JSON.stringify(subnetJson(s))`, without building the intermediate objects for every subnet. */
function subnetText(s: SubnetReport): string {
  const findings = s.findings.map(
    (f) =>
      `{"code":${JSON.stringify(f.code)},"severity":${JSON.stringify(f.severity)},"message":${JSON.stringify(f.message)},"fix":${JSON.stringify(f.fix)}${f.details ? `,"details":${JSON.stringify(f.details)}` : ''}}`,
  );
  return `{"id":${JSON.stringify(s.id)},"name":${JSON.stringify(s.name)},"vnetId":${JSON.stringify(s.vnetId)},"addressPrefix":${JSON.stringify(s.addressPrefix)},"addressPrefixes":${JSON.stringify(s.addressPrefixes)},"verdict":${JSON.stringify(s.verdict)},"findings":[${findings.join(',')}]}`;
}

/** `details` only where the finding has some (an NSG finding's dependency `tag`). */
function findingJson(f: Finding) {
  return f.details ? { code: f.code, severity: f.severity, message: f.message, fix: f.fix, details: f.details } : { code: f.code, severity: f.severity, message: f.message, fix: f.fix };
}

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
