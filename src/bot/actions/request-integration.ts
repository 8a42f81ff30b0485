/**
 * `requestIntegration` on the options card. Trusts only `checkId` (a server-side record) and the chosen
 * `subnetId`, which must be one of that check's candidates; re-checks that subnet for the person who clicked.
 * The `addDependencyRules` toggle only says whether to include the optional fixes that re-check offers.
 */
import { asArmUnavailable } from '../../azure/arm-errors.js';
import { runCheck } from '../../check/run-check.js';
import { configuredNsgRefusal } from '../../check/subnet-proposal.js';
import { hasAction, SUBNET_WRITE_ACTION } from '../../eligibility/permissions.js';
import { proposalStillFits, type SubnetProposal } from '../../proposal/index.js';
import { sameResourceId } from '../../eligibility/resource-id.js';
import { integrateBlockers } from '../../requests/blockers.js';
import type { IntegrationRequest } from '../../requests/request.js';
import { checkRecordCutoff, NEW_SUBNET_CHOICE_PREFIX } from '../../requests/check-record.js';
import { findingLine, subnetLabel } from '../cards/wording.js';
import { identityRefusal, askForRequest } from '../commands/ask-for-request.js';
import { requestForSubnet } from '../commands/integrate.js';
import { text, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';

export function checkIdOf(data: unknown): string | null {
  const value = (data as { checkId?: unknown } | null)?.checkId;
  return typeof value === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(value) ? value : null;
}

/**
 * The options card's toggle for the optional dependency rules (Adaptive Cards send "true"/"false"); no toggle = not
 * chosen. Cards posted before the rules were general name it `addStorageRule`.
 */
function wantsDependencyRules(data: unknown): boolean {
  const { addDependencyRules, addStorageRule } = data as { addDependencyRules?: unknown; addStorageRule?: unknown };
  const value = addDependencyRules ?? addStorageRule;
  return value === 'true' || value === true;
}

export async function requestIntegration(services: BotServices, turn: TurnInfo, data: unknown): Promise<Reply> {
  const { stores, clock, arm, config } = services.deps;
  const checkId = checkIdOf(data);
  const record = checkId ? await stores.checks.get(checkId) : null;
  const ttlHours = config.requests.checkTtlHours;
  if (!record || record.kind !== 'options') {
    return text(`This card is out of date: there is no such check any more (checks are kept ${ttlHours} hours). Nothing was requested; say check <instance> again for a fresh one.`);
  }
  if (Date.parse(record.createdAt) < checkRecordCutoff(clock(), ttlHours).getTime()) {
    return text(`This card is out of date: the check is more than ${ttlHours} hours old. Nothing was requested; say check ${record.instance.name} again for a fresh one.`);
  }
  const subnetId = (data as { subnetId?: unknown }).subnetId;
  if (typeof subnetId === 'string' && subnetId.startsWith(NEW_SUBNET_CHOICE_PREFIX)) {
    const offered = record.proposal;
    if (!offered || subnetId.slice(NEW_SUBNET_CHOICE_PREFIX.length) !== offered.choiceId) {
      services.deps.logger.info('requestIntegration refused: new subnet not offered', { checkId: record.checkId });
      return text('That new subnet is not one of the options of this check. Nothing was requested.');
    }
    const refusal = identityRefusal(services, turn);
    if (refusal) return refusal;
    return requestNewSubnet(services, turn, record.instance.id, offered.proposal);
  }
  const candidate = typeof subnetId === 'string' ? record.candidates.find((c) => sameResourceId(c.subnetId, subnetId)) : undefined;
  if (!candidate) {
    services.deps.logger.info('requestIntegration refused: subnet not offered', { checkId: record.checkId });
    return text(typeof subnetId === 'string' && subnetId ? 'That subnet is not one of the options of this check. Nothing was requested.' : 'Pick a subnet first.');
  }
  const refusal = identityRefusal(services, turn);
  if (refusal) return refusal;

  const { report } = await runCheck(arm, { instance: record.instance.id, subnetId: candidate.subnetId, requesterId: turn.person.aadObjectId }, config.eligibility).catch(
    (error: unknown) => {
      throw asArmUnavailable(error, `check subnet ${subnetLabel(candidate.subnetId)}`);
    },
  );
  const subnet = report.subnets.find((s) => sameResourceId(s.id, candidate.subnetId));
  if (!subnet) return text(`Subnet ${subnetLabel(candidate.subnetId)} no longer exists. Nothing was requested.`);
  const blockers = integrateBlockers(report, subnet, { ignoreBusy: false });
  if (blockers.length > 0) {
    return text(`I cannot request ${subnetLabel(subnet.id)} for you:\n\n${blockers.map((f) => `- ${findingLine(f)}`).join('\n')}\n\nNothing was requested.`);
  }
  return requestForSubnet(services, turn, report, subnet, 'invoke', wantsDependencyRules(data));
}

/**
 * The proposal chosen on the options card, checked again for the person who clicked: the instance may be
 * integrated, they and the bot may add a subnet to the VNet, and the space is still free. Then a newSubnet request.
 */
export async function requestNewSubnet(
  services: BotServices,
  turn: TurnInfo,
  instanceId: string,
  proposal: SubnetProposal,
  retryOf?: IntegrationRequest,
): Promise<Reply> {
  const { arm, config } = services.deps;
  const outcome = await runCheck(arm, { instance: instanceId, requesterId: turn.person.aadObjectId }, config.eligibility).catch((error: unknown) => {
    throw asArmUnavailable(error, `check ${proposal.vnetName}`);
  });
  const { report, context } = outcome;
  const blockers = report.findings.filter((f) => f.severity === 'blocking');
  if (blockers.length > 0) {
    return text(`I cannot request a new subnet for ${report.instance.name}:\n\n${blockers.map((f) => `- ${findingLine(f)}`).join('\n')}\n\nNothing was requested.`);
  }
  const requesterMay = context.requester === null || hasAction(context.requester, SUBNET_WRITE_ACTION, proposal.vnetId);
  if (!requesterMay || !hasAction(context.bot, SUBNET_WRITE_ACTION, proposal.vnetId)) {
    return text(`${requesterMay ? 'The bot' : 'You'} may not add a subnet to ${proposal.vnetName} (${SUBNET_WRITE_ACTION}). Nothing was requested.`);
  }
  const fits = proposalStillFits(proposal, outcome.vnets);
  if (!fits.ok) return text(`${fits.message} Nothing was requested; say check ${report.instance.name} for a fresh proposal.`);
  const nsgProblem = configuredNsgRefusal(proposal, outcome, config.eligibility);
  if (nsgProblem) return text(`${nsgProblem} Nothing was requested.`);
  return askForRequest(
    services,
    turn,
    { kind: 'newSubnet', instance: report.instance, subnetId: proposal.subnetId, findings: report.findings, fixes: [], newSubnet: proposal, ...(retryOf ? { retryOf } : {}) },
    'invoke',
  );
}
