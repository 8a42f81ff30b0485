import type { FindingCode, Severity } from './codes.js';
import type { InstanceFacts } from './facts.js';
import type { SecurityRuleSpec } from './security-rules.js';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  /** What to do about it, as a sentence; null when nothing needs doing. */
  fix: string | null;
  /** Facts a machine reads without parsing the message (the dependency tag of an NSG finding). */
  details?: FindingDetails;
}

export type FindingDetails = Record<string, string>;

export type Verdict = 'eligible' | 'fixable' | 'ineligible';

/** Something the bot will do on approval before updating the instance. */
export type PlannedFix =
  | { kind: 'registerProvider'; namespace: 'Microsoft.Web'; subscriptionId: string }
  /** A new NSG with an explicit allow per required dependency, for a subnet that has none. */
  | { kind: 'createNsg'; nsgId: string; name: string; location: string; rules: SecurityRuleSpec[] }
  /** Associates the NSG (created by `createNsg`, or the configured one) with a subnet that has none. */
  | { kind: 'attachNsg'; subnetId: string; nsgId: string }
  /** Adds explicit outbound allows on TCP 443 for the dependencies the subnet's NSG allows only by default (optional). */
  | { kind: 'addDependencyRules'; nsgId: string; rules: SecurityRuleSpec[] }
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
  /** Fixes the requester may add to a request (the explicit dependency rules); empty when ineligible. */
  optionalFixes: PlannedFix[];
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
