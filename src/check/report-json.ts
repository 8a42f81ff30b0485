import type { EligibilityReport, Finding } from '../eligibility/report.js';

/** The `check --json` document. Its shape is a contract: scripts read it. */
export function reportJson(report: EligibilityReport) {
  const { instance } = report;
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
    subnets: report.subnets.map((s) => ({
      id: s.id,
      name: s.name,
      vnetId: s.vnetId,
      addressPrefix: s.addressPrefix,
      addressPrefixes: s.addressPrefixes,
      verdict: s.verdict,
      findings: s.findings.map(findingJson),
    })),
  };
}

function findingJson(f: Finding) {
  return { code: f.code, severity: f.severity, message: f.message, fix: f.fix };
}
