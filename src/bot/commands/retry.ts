/**
 * `retry <request id>`: a failed request tried again by its requester, as a new request from a fresh check of the
 * same change (requests/retry.ts says who may, and when the approval carries over). The two are linked both ways.
 */
import { getInstance, instanceRefOf } from '../../azure/find-instance.js';
import { asArmUnavailable } from '../../azure/arm-errors.js';
import { CodedError, ErrorCode } from '../../errors.js';
import type { InstanceFacts } from '../../eligibility/facts.js';
import type { IntegrationRequest } from '../../requests/request.js';
import { retryRefusal } from '../../requests/retry.js';
import { requestNewSubnet } from '../actions/request-integration.js';
import { text, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import { disconnect } from './disconnect.js';
import { integrate } from './integrate.js';

export async function retry(services: BotServices, turn: TurnInfo, requestId: string): Promise<Reply> {
  const { stores, arm } = services.deps;
  const failed = await stores.requests.get(requestId);
  if (!failed) return text(`I have no request ${requestId}. Nothing changed.`);
  const refusal = retryRefusal(failed, turn.person, failed.retriedAs ? await stores.requests.get(failed.retriedAs) : null);
  if (refusal) return text(refusal);
  const ref = instanceRefOf(failed.instance.id);
  if (!ref) return text(`Request ${failed.id} names no instance I can read again. Nothing changed.`);
  let instance: InstanceFacts;
  try {
    instance = await getInstance(arm, ref);
  } catch (error) {
    if (error instanceof CodedError && error.code === ErrorCode.INSTANCE_NOT_FOUND) return text(`${error.message} Request ${failed.id} cannot be retried.`);
    throw asArmUnavailable(error, `read ${failed.instance.name}`);
  }
  return retryAs(services, turn, failed, instance);
}

function retryAs(services: BotServices, turn: TurnInfo, failed: IntegrationRequest, instance: InstanceFacts): Promise<Reply> {
  switch (failed.kind) {
    case 'disconnect':
      return disconnect(services, turn, instance, 'text', failed);
    case 'newSubnet': {
      const proposal = failed.apply?.proposal ?? failed.newSubnet;
      const madeSubnet = (failed.apply?.created ?? []).some((c) => c.type === 'subnet');
      // The subnet exists once the failed apply made it: the retry joins it instead of proposing it again.
      if (proposal && !madeSubnet) return requestNewSubnet(services, turn, instance.id, proposal, failed);
      const subnetId = proposal?.subnetId ?? failed.subnetId;
      if (!subnetId) return Promise.resolve(text(`Request ${failed.id} names no subnet to try again. Say check ${instance.name} for the options.`));
      return integrate(services, turn, instance, { kind: 'id', id: subnetId }, 'text', { of: failed, withOptional: false });
    }
    case 'integrate': {
      if (!failed.subnetId) return Promise.resolve(text(`Request ${failed.id} names no subnet to try again. Say check ${instance.name} for the options.`));
      const withOptional = failed.fixes.some((f) => f.kind === 'addDependencyRules');
      return integrate(services, turn, instance, { kind: 'id', id: failed.subnetId }, 'text', { of: failed, withOptional });
    }
  }
}
