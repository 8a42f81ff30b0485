/** Verdicts, finding order and subnet ranking. Pure; every sort here is stable. */
import type { Severity } from './codes.js';
import type { EligibilitySettings } from './facts.js';
import type { Finding, PlannedFix, SubnetReport, Verdict } from './report.js';

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { blocking: 0, fixable: 1, warning: 2, info: 3 };
export const VERDICT_ORDER: Readonly<Record<Verdict, number>> = { eligible: 0, fixable: 1, ineligible: 2 };
/**
 * Fixes run in this order: Microsoft.Web must be registered before a subnet can be delegated to it, and an NSG
 * must exist before it is associated.
 */
export const FIX_ORDER: Readonly<Record<PlannedFix['kind'], number>> = {
  registerProvider: 0,
  createNsg: 1,
  attachNsg: 2,
  addDependencyRules: 3,
  addDelegation: 4,
};

/** Any blocking finding -> ineligible; else any fixable -> fixable; else eligible. Warnings and info do not count. */
export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'blocking')) return 'ineligible';
  if (findings.some((f) => f.severity === 'fixable')) return 'fixable';
  return 'eligible';
}

/** Blocking first, then fixable, warning, info; the original order otherwise. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** Fixes in execution order (FIX_ORDER), without duplicates. */
export function orderFixes(fixes: readonly PlannedFix[]): PlannedFix[] {
  const seen = new Set<string>();
  const unique = fixes.filter((fix) => {
    const key = JSON.stringify(fix).toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => FIX_ORDER[a.kind] - FIX_ORDER[b.kind]);
}

function compareText(a: string, b: string): number {
  return order(a.toLowerCase(), b.toLowerCase());
}

/**
 * eligible, fixable, ineligible; within each, subnets at least as large as the recommended size first,
 * then larger before smaller (no IPv4 prefix last), then by subnet name, then VNet name (case-insensitive).
 */
export function compareSubnetReports(a: SubnetReport, b: SubnetReport, settings: EligibilitySettings): number {
  const verdict = VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict];
  if (verdict !== 0) return verdict;
  const recommended = (r: SubnetReport) => (r.prefixLength !== null && r.prefixLength <= settings.recommendedSubnetPrefix ? 0 : 1);
  const band = recommended(a) - recommended(b);
  if (band !== 0) return band;
  const size = (a.prefixLength ?? Number.MAX_SAFE_INTEGER) - (b.prefixLength ?? Number.MAX_SAFE_INTEGER);
  if (size !== 0) return size;
  return compareText(a.name, b.name) || compareText(a.vnetName, b.vnetName);
}

export function rankSubnets(reports: readonly SubnetReport[], settings: EligibilitySettings): SubnetReport[] {
  // Sort keys computed once per subnet: a subscription can hold tens of thousands.
  const keyed = reports.map((report) => ({
    report,
    verdict: VERDICT_ORDER[report.verdict],
    band: report.prefixLength !== null && report.prefixLength <= settings.recommendedSubnetPrefix ? 0 : 1,
    size: report.prefixLength ?? Number.MAX_SAFE_INTEGER,
    name: report.name.toLowerCase(),
    vnet: report.vnetName.toLowerCase(),
  }));
  keyed.sort(
    (a, b) =>
      a.verdict - b.verdict || a.band - b.band || a.size - b.size || order(a.name, b.name) || order(a.vnet, b.vnet),
  );
  return keyed.map((k) => k.report);
}

function order(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
