/** `integrate <instance> [to <subnet>]`: the options card, or straight to a request for a named subnet. */
import { asArmUnavailable } from '../../azure/arm-errors.js';
import { runCheck } from '../../check/run-check.js';
import type { InstanceFacts } from '../../eligibility/facts.js';
import type { EligibilityReport, SubnetReport } from '../../eligibility/report.js';
import { orderFixes } from '../../eligibility/ranking.js';
import { sameResourceId } from '../../eligibility/resource-id.js';
import { integrateBlockers, integrateFindings } from '../../requests/blockers.js';
import type { SubnetTarget } from '../../requests/check-record.js';
import type { IntegrationRequest } from '../../requests/request.js';
import { subnetProblemsCard } from '../cards/subnet-problems-card.js';
import { text, type Reply } from '../reply.js';
import type { BotServices, Origin } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import { identityRefusal, askForRequest } from './ask-for-request.js';
import { readVisibleReport, showOptions } from './show-options.js';

/** A retry of a failed request, and whether it asked for the optional fixes. */
export interface Retry {
  of: IntegrationRequest;
  withOptional: boolean;
}

export async function integrate(
  services: BotServices,
  turn: TurnInfo,
  instance: InstanceFacts,
  target: SubnetTarget | null,
  origin: Origin,
  /** A retry: the failed request it tries again. */
  retry?: Retry,
): Promise<Reply> {
  if (!target || target.kind === 'vnet' || target.kind === 'new') return showOptions(services, turn, instance, target);
  const refusal = identityRefusal(services, turn);
  if (refusal) return refusal;

  let report: EligibilityReport;
  let subnet: SubnetReport | undefined;
  if (target.kind === 'id') {
    ({ report } = await runCheck(services.deps.arm, { instance, subnetId: target.id, requesterId: turn.person.aadObjectId }, services.deps.config.eligibility).catch(
      (error: unknown) => {
        throw asArmUnavailable(error, `check subnet ${target.id}`);
      },
    ));
    subnet = report.subnets.find((s) => sameResourceId(s.id, target.id));
  } else {
    const visible = await readVisibleReport(services, turn, instance);
    report = visible.report;
    const matches = report.subnets.filter(
      (s) => s.vnetName.toLowerCase() === target.vnet.toLowerCase() && s.name.toLowerCase() === target.subnet.toLowerCase(),
    );
    if (matches.length > 1) {
      return text(`Several VNets you can read are named ${target.vnet}. Paste the subnet's resource id instead:\n\n${matches.map((m) => `- ${m.id}`).join('\n')}`);
    }
    subnet = matches[0];
    if (!subnet) {
      return text(`I found no subnet ${target.subnet} in a VNet named ${target.vnet} that you can read, in the subscription of ${instance.name}. Say check ${instance.name} to see the subnets you can use.`);
    }
  }
  if (!subnet) return text(`I could not read that subnet. Say check ${instance.name} to see the subnets you can use.`);
  // Optional fixes are chosen on the options card only: a typed request asks for the integration alone (a retry, for what it retries).
  return requestForSubnet(services, turn, report, subnet, origin, retry?.withOptional ?? false, retry?.of);
}

/**
 * A request when the subnet is eligible or fixable; otherwise the card that says what is wrong. `withOptional`:
 * the optional fixes (the explicit dependency rules) go into the request too.
 */
export async function requestForSubnet(
  services: BotServices,
  turn: TurnInfo,
  report: EligibilityReport,
  subnet: SubnetReport,
  origin: Origin,
  withOptional: boolean,
  retryOf?: IntegrationRequest,
): Promise<Reply> {
  const blockers = integrateBlockers(report, subnet, { ignoreBusy: false });
  if (blockers.length > 0) {
    const instanceBlockers = report.findings.filter((f) => f.severity === 'blocking');
    return { card: subnetProblemsCard(report.instance.name, subnet, instanceBlockers) };
  }
  return askForRequest(
    services,
    turn,
    {
      kind: 'integrate',
      instance: report.instance,
      subnetId: subnet.id,
      findings: integrateFindings(report, subnet),
      fixes: orderFixes([...subnet.fixes, ...(withOptional ? subnet.optionalFixes : [])]),
      ...(retryOf ? { retryOf } : {}),
    },
    origin,
  );
}
