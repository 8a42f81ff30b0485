/** `disconnect <instance>`: a request to set virtualNetworkType None, through the same approval path. */
import { asArmUnavailable } from '../../azure/arm-errors.js';
import { runCheck } from '../../check/run-check.js';
import type { InstanceFacts } from '../../eligibility/facts.js';
import { disconnectBlockers, disconnectFindings } from '../../requests/blockers.js';
import { undoPlanFor } from '../../apply/undo.js';
import type { IntegrationRequest } from '../../requests/request.js';
import { findingLine, networkText } from '../cards/wording.js';
import { text, type Reply } from '../reply.js';
import type { BotServices, Origin } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import { identityRefusal, askForRequest } from './ask-for-request.js';

export async function disconnect(services: BotServices, turn: TurnInfo, instance: InstanceFacts, origin: Origin, retryOf?: IntegrationRequest): Promise<Reply> {
  const type = instance.virtualNetworkType.toLowerCase();
  if (type !== 'external' || !instance.subnetResourceId) {
    const why = type === 'internal' ? ' It is injected into a VNet (Internal), which the bot does not change.' : '';
    return text(`${instance.name} is not integrated with a virtual network (network: ${networkText(instance)}), so there is nothing to disconnect.${why}`);
  }
  const refusal = identityRefusal(services, turn);
  if (refusal) return refusal;
  const { report, context } = await runCheck(
    services.deps.arm,
    { instance, subnetId: instance.subnetResourceId, requesterId: turn.person.aadObjectId },
    services.deps.config.eligibility,
  ).catch((error: unknown) => {
    throw asArmUnavailable(error, `check ${instance.name}`);
  });
  const blockers = disconnectBlockers(report, { ignoreBusy: false });
  if (blockers.length > 0) {
    return text(`I cannot request that ${instance.name} leaves its VNet:\n\n${blockers.map((f) => `- ${findingLine(f)}`).join('\n')}`);
  }
  // Offer to remove what the bot made for the instance's current subnet (listed on the approval card), and only that;
  // what the bot's identity may not remove is kept, and the card says so.
  const undo = undoPlanFor(await services.deps.stores.requests.listByInstance(instance.id), report.instance.subnetResourceId, context.bot);
  return askForRequest(
    services,
    turn,
    { kind: 'disconnect', instance: report.instance, subnetId: null, findings: disconnectFindings(report), fixes: [], ...(undo ? { undo } : {}), ...(retryOf ? { retryOf } : {}) },
    origin,
  );
}
