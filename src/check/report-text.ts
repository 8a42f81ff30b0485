import type { EligibilityReport, Finding, SubnetReport, Verdict } from '../eligibility/report.js';
import type { ProposalOutcome } from '../proposal/index.js';

const SEVERITY_LABEL: Record<Finding['severity'], string> = {
  blocking: 'BLOCKING',
  fixable: 'FIXABLE ',
  warning: 'WARNING ',
  info: 'INFO    ',
};

const VERDICT_LABEL: Record<Verdict, string> = { eligible: 'eligible', fixable: 'fixable', ineligible: 'ineligible' };

/** The readable `check` report: the instance, its problems, then every subnet with each problem and its fix. */
export function reportText(report: EligibilityReport, proposal: ProposalOutcome | null = null): string {
  const { instance } = report;
  const lines: string[] = [];
  const network = instance.subnetResourceId ? `${instance.virtualNetworkType}, subnet ${instance.subnetResourceId}` : instance.virtualNetworkType;
  lines.push(`Instance   ${instance.name}`);
  lines.push(`           ${instance.id}`);
  lines.push(`           SKU ${instance.skuName}, region ${instance.location}, network ${network}, state ${instance.provisioningState}`);
  lines.push('');
  if (report.findings.length === 0) lines.push('Instance checks: all passed.');
  else {
    lines.push('Instance checks:');
    for (const f of report.findings) lines.push(...findingLines(f, '  '));
  }
  if (!report.requesterChecked) lines.push("Requester checks skipped: pass --as <object id> to check the requester's own Azure rights.");
  lines.push('');

  const count = (v: Verdict) => report.subnets.filter((s) => s.verdict === v).length;
  lines.push(`Subnets: ${report.subnets.length} checked: ${count('eligible')} eligible, ${count('fixable')} fixable, ${count('ineligible')} ineligible.`);
  if (report.subnets.length === 0) lines.push('No subnets in this subscription. Create a /24 subnet in a VNet in the same region and subscription.');
  const nameWidth = Math.min(48, Math.max(6, ...report.subnets.map((s) => subnetLabel(s).length)));
  if (report.subnets.length > 0) {
    lines.push('');
    lines.push(`${'VERDICT'.padEnd(11)}${'SUBNET'.padEnd(nameWidth + 2)}PREFIX`);
  }
  for (const s of report.subnets) {
    lines.push(`${VERDICT_LABEL[s.verdict].padEnd(11)}${subnetLabel(s).padEnd(nameWidth + 2)}${s.addressPrefixes.join(', ') || '(none)'}`);
    for (const f of s.findings) lines.push(...findingLines(f, '    '));
  }
  if (proposal) lines.push('', ...proposalLines(proposal));
  return lines.join('\n') + '\n';
}

function proposalLines({ proposal, reason }: ProposalOutcome): string[] {
  if (!proposal) return [`No new subnet can be proposed: ${reason.message}`];
  const nsg = 'create' in proposal.nsg ? `a new NSG ${proposal.nsg.create}${allowsText(proposal.nsg.rules)}` : `NSG ${proposal.nsg.id}`;
  return [
    'Proposed new subnet (the bot creates it on approval):',
    `  ${proposal.vnetName}/${proposal.name}  ${proposal.addressPrefix}${proposal.belowRecommended ? '  (smaller than recommended: no larger block is free)' : ''}`,
    `  delegated to ${proposal.delegation}, with ${nsg}`,
  ];
}

function subnetLabel(s: SubnetReport): string {
  return `${s.vnetName}/${s.name}`;
}

function findingLines(f: Finding, indent: string): string[] {
  const lines = [`${indent}${SEVERITY_LABEL[f.severity]} ${f.code}: ${f.message}`];
  if (f.fix) lines.push(`${indent}         fix: ${f.fix}`);
  return lines;
}

function allowsText(rules: readonly { destinationAddressPrefix: string }[]): string {
  return rules.length === 0 ? '' : ` allowing outbound TCP 443 to ${rules.map((r) => r.destinationAddressPrefix).join(' and ')}`;
}
