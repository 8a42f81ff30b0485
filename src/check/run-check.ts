import type { ArmClients } from '../azure/arm-clients.js';
import { streamCheckFacts, type CheckTarget } from '../azure/inventory.js';
import { assembleReport, judgeSubnet, type CheckContext, type JudgedSubnet } from '../eligibility/evaluate.js';
import type { EligibilitySettings, SubnetFacts } from '../eligibility/facts.js';
import type { EligibilityReport } from '../eligibility/report.js';
import type { ProposalVnet } from '../proposal/index.js';
import { timeCheck } from '../telemetry/index.js';

/** A check's report with what it read to make it, for what comes after (a subnet proposal). */
export interface CheckOutcome {
  report: EligibilityReport;
  context: CheckContext;
  /** The subscription's VNets (empty when one subnet was asked about). */
  vnets: ProposalVnet[];
}

/**
 * The one path from a question to a verdict, shared by the CLI, the bot and the apply's re-check so they never
 * disagree. Subnets are judged as their pages arrive, once the rest of the facts are in, while later pages are on
 * the way.
 */
export function runCheck(arm: ArmClients, target: CheckTarget, settings: EligibilitySettings): Promise<CheckOutcome> {
  return timeCheck(target.subnetId ? 'subnet' : 'subscription', () => judgeAll(arm, target, settings));
}

async function judgeAll(arm: ArmClients, target: CheckTarget, settings: EligibilitySettings): Promise<CheckOutcome> {
  const { context, pages } = streamCheckFacts(arm, { configuredNsgId: settings.networkFixes.nsgId, ...target });
  const known: { context: CheckContext | null } = { context: null };
  context.then(
    (c) => {
      known.context = c;
    },
    () => undefined,
  );
  const subnets: SubnetFacts[] = [];
  const vnets: ProposalVnet[] = [];
  const judged: JudgedSubnet[] = [];
  const judgeWaiting = (c: CheckContext) => {
    for (let i = judged.length; i < subnets.length; i++) judged.push(judgeSubnet(c, subnets[i] as SubnetFacts, settings));
  };
  for await (const page of pages) {
    subnets.push(...page.subnets);
    vnets.push(...page.vnets);
    // Let the request for the next page leave before judging this one, so the two overlap.
    await new Promise((resolve) => setImmediate(resolve));
    if (known.context) judgeWaiting(known.context);
  }
  const ready = await context;
  judgeWaiting(ready);
  return { report: assembleReport(ready, judged, settings), context: ready, vnets };
}

/** True when the report offers at least one subnet that can be integrated, now or after the bot's fixes. */
export function hasUsableSubnet(report: EligibilityReport): boolean {
  return report.subnets.some((s) => s.verdict === 'eligible' || s.verdict === 'fixable');
}
