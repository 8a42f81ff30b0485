/**
 * Which findings stop a request, at request time and again right before applying. Pure.
 */
import { FindingCode } from '../eligibility/codes.js';
import type { EligibilityReport, Finding, SubnetReport } from '../eligibility/report.js';

/** Instance findings that matter when leaving a VNet (subnet and provider findings do not). */
const DISCONNECT_RELEVANT = new Set<FindingCode>([
  FindingCode.SKU_NOT_SUPPORTED,
  FindingCode.INJECTION_CONFIGURED,
  FindingCode.INSTANCE_BUSY,
  FindingCode.BOT_CANNOT_WRITE_INSTANCE,
  FindingCode.REQUESTER_CANNOT_WRITE_INSTANCE,
]);

/**
 * Blocking findings for integrating with `subnet`: the instance's and the subnet's own. When applying an
 * approved request, a busy instance is no blocker: the update waits for the running operation to end.
 */
export function integrateBlockers(report: EligibilityReport, subnet: SubnetReport, options: { ignoreBusy: boolean }): Finding[] {
  return [...report.findings, ...subnet.findings].filter((f) => f.severity === 'blocking' && !(options.ignoreBusy && f.code === FindingCode.INSTANCE_BUSY));
}

/** Findings worth showing the approver of an integration: everything but passed checks. */
export function integrateFindings(report: EligibilityReport, subnet: SubnetReport): Finding[] {
  return [...report.findings, ...subnet.findings];
}

export function disconnectFindings(report: EligibilityReport): Finding[] {
  return report.findings.filter((f) => DISCONNECT_RELEVANT.has(f.code));
}

export function disconnectBlockers(report: EligibilityReport, options: { ignoreBusy: boolean }): Finding[] {
  return disconnectFindings(report).filter((f) => f.severity === 'blocking' && !(options.ignoreBusy && f.code === FindingCode.INSTANCE_BUSY));
}
