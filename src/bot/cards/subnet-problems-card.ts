/** Why a named subnet cannot be used. Pure. */
import type { Finding, SubnetReport } from '../../eligibility/report.js';
import { renderCard, type AdaptiveCard } from './template.js';
import { findingLine } from './wording.js';

/** Why a named subnet cannot be used: the instance's blocking findings, then the subnet's. */
export function subnetProblemsCard(instanceName: string, subnet: SubnetReport, instanceBlockers: Finding[]): AdaptiveCard {
  const problems = [...instanceBlockers, ...subnet.findings.filter((f) => f.severity === 'blocking')];
  return renderCard('subnet-problems', {
    title: `${subnet.vnetName}/${subnet.name} cannot be used for ${instanceName}`,
    text: `${problems.length} problem${problems.length === 1 ? '' : 's'} to solve first:`,
    problems: problems.map((f) => ({ text: findingLine(f) })),
    footer: `Say check ${instanceName} to see the subnets that can be used.`,
  });
}
