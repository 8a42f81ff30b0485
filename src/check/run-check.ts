import type { ArmClients } from '../azure/arm-clients.js';
import { streamCheckFacts, type CheckTarget } from '../azure/inventory.js';
import { assembleReport, judgeSubnet, type CheckContext, type JudgedSubnet } from '../eligibility/evaluate.js';
import type { EligibilitySettings, SubnetFacts } from '../eligibility/facts.js';
import type { EligibilityReport } from '../eligibility/report.js';

/**
 * The one path from a question to a verdict, shared by the CLI and the bot so they never disagree.
 * Subnets are judged as their pages arrive, once the rest of the facts are in, while later pages are on the way.
 */
export async function runCheck(arm: ArmClients, target: CheckTarget, settings: EligibilitySettings): Promise<EligibilityReport> {
  const { context, subnetPages } = streamCheckFacts(arm, target);
  const known: { context: CheckContext | null } = { context: null };
  context.then(
    (c) => {
      known.context = c;
    },
    () => undefined,
  );
  const subnets: SubnetFacts[] = [];
  const judged: JudgedSubnet[] = [];
  const judgeWaiting = (c: CheckContext) => {
    for (let i = judged.length; i < subnets.length; i++) judged.push(judgeSubnet(c, subnets[i] as SubnetFacts, settings));
  };
  for await (const page of subnetPages) {
    subnets.push(...page);
    // Let the request for the next page leave before judging this one, so the two overlap.
    await new Promise((resolve) => setImmediate(resolve));
    if (known.context) judgeWaiting(known.context);
  }
  const ready = await context;
  judgeWaiting(ready);
  return assembleReport(ready, judged, settings);
}

/** True when the report offers at least one subnet that can be integrated, now or after the bot's fixes. */
export function hasUsableSubnet(report: EligibilityReport): boolean {
  return report.subnets.some((s) => s.verdict === 'eligible' || s.verdict === 'fixable');
}
