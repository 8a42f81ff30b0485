import type { ArmClients } from '../azure/arm-clients.js';
import { readCheckFacts, type CheckTarget } from '../azure/inventory.js';
import { evaluateEligibility } from '../eligibility/evaluate.js';
import type { EligibilitySettings } from '../eligibility/facts.js';
import type { EligibilityReport } from '../eligibility/report.js';

/** The one path from a question to a verdict, shared by the CLI and the bot so they never disagree. */
export async function runCheck(arm: ArmClients, target: CheckTarget, settings: EligibilitySettings): Promise<EligibilityReport> {
  return evaluateEligibility(await readCheckFacts(arm, target), settings);
}

/** True when the report offers at least one subnet that can be integrated, now or after the bot's fixes. */
export function hasUsableSubnet(report: EligibilityReport): boolean {
  return report.subnets.some((s) => s.verdict === 'eligible' || s.verdict === 'fixable');
}
