import type { FindingCode, Severity } from './codes.js';
import type { InstanceFacts } from './facts.js';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  /** What to do about it, as a sentence; null when nothing needs doing. */
  fix: string | null;
}

export type Verdict = 'eligible' | 'fixable' | 'ineligible';

/** Something the bot will do on approval before updating the instance. */
export type PlannedFix =
  | { kind: 'registerProvider'; namespace: 'Microsoft.Web'; subscriptionId: string }
  | { kind: 'addDelegation'; subnetId: string; serviceName: 'Microsoft.Web/serverFarms' };

export interface SubnetReport {
  id: string;
  name: string;
  vnetId: string;
  vnetName: string;
  /** The prefix the size was judged by (the largest IPv4 one), or the first prefix when none is IPv4. */
  addressPrefix: string | null;
  addressPrefixes: string[];
  /** Prefix length judged (e.g. 24), null when no IPv4 prefix. */
  prefixLength: number | null;
  verdict: Verdict;
  findings: Finding[];
  /** The fixes the bot would carry out for this subnet (instance-level ones included). */
  fixes: PlannedFix[];
}

export interface EligibilityReport {
  instance: InstanceFacts;
  /** Instance-level findings. */
  findings: Finding[];
  /** Ranked: eligible, fixable, ineligible; then /24-compliant first, larger first, by name. */
  subnets: SubnetReport[];
  /** false when no requester was named and the requester checks were skipped. */
  requesterChecked: boolean;
}
