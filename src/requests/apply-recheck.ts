/** The re-check right before applying: today's estate, judged again; returns the fixes still needed. */
import { ArmWriteError } from '../azure/apply.js';
import type { ArmClients } from '../azure/arm-clients.js';
import { runCheck } from '../check/run-check.js';
import type { EligibilitySettings } from '../eligibility/facts.js';
import type { Finding, PlannedFix } from '../eligibility/report.js';
import { sameResourceId } from '../eligibility/resource-id.js';
import { CodedError } from '../errors.js';
import { disconnectBlockers, integrateBlockers } from './blockers.js';
import { subnetLabel } from './labels.js';
import type { IntegrationRequest } from './request.js';

/** The re-check found a reason to stop. */
export class RecheckRefused extends Error {
  constructor(readonly finding: Finding) {
    super(finding.message);
  }
}

export async function recheck(arm: ArmClients, eligibility: EligibilitySettings, request: IntegrationRequest): Promise<PlannedFix[]> {
  const requesterId = request.requester.aadObjectId;
  if (request.kind === 'disconnect') {
    const current = request.instance.subnetResourceId;
    const report = await runCheck(arm, { instance: request.instance.id, subnetId: current, requesterId }, eligibility).catch((error: unknown) => {
      // The subnet it was on may be gone; the instance-level rules are what matter here.
      if (current && error instanceof CodedError && error.code === 'SUBNET_NOT_FOUND') return null;
      throw error;
    });
    if (report) {
      const blocker = disconnectBlockers(report, { ignoreBusy: true })[0];
      if (blocker) throw new RecheckRefused(blocker);
    }
    return [];
  }
  const subnetId = request.subnetId ?? '';
  const report = await runCheck(arm, { instance: request.instance.id, subnetId, requesterId }, eligibility);
  const subnet = report.subnets.find((s) => sameResourceId(s.id, subnetId));
  if (!subnet) throw new ArmWriteError('SubnetNotFound', `Subnet ${subnetLabel(subnetId)} no longer exists.`);
  const blocker = integrateBlockers(report, subnet, { ignoreBusy: true })[0];
  if (blocker) throw new RecheckRefused(blocker);
  return subnet.fixes;
}
