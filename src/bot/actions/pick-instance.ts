/** `pickInstance`: the person chose one of several instances with the same name; carry on with what they asked. */
import { getInstance, instanceRefOf } from '../../azure/find-instance.js';
import { asArmUnavailable } from '../../azure/arm-errors.js';
import { sameResourceId } from '../../eligibility/resource-id.js';
import { checkRecordCutoff } from '../../requests/check-record.js';
import { disconnect } from '../commands/disconnect.js';
import { integrate } from '../commands/integrate.js';
import { showOptions } from '../commands/show-options.js';
import { instanceStatus } from '../commands/status.js';
import { whoApproves } from '../commands/who-approves.js';
import { text, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import { checkIdOf } from './request-integration.js';

export async function pickInstance(services: BotServices, turn: TurnInfo, data: unknown): Promise<Reply> {
  const checkId = checkIdOf(data);
  const { stores, clock, config } = services.deps;
  const record = checkId ? await stores.checks.get(checkId) : null;
  if (!record || record.kind !== 'pickInstance' || Date.parse(record.createdAt) < checkRecordCutoff(clock(), config.requests.checkTtlHours).getTime()) {
    return text(`This card is out of date: I do not know this card's choices any more (they are kept ${config.requests.checkTtlHours} hours). Nothing happened; say the command again.`);
  }
  const chosen = (data as { instanceId?: unknown }).instanceId;
  const instanceId = typeof chosen === 'string' ? record.instanceIds.find((id) => sameResourceId(id, chosen)) : undefined;
  const ref = instanceId ? instanceRefOf(instanceId) : null;
  if (!ref) return text('That instance is not one of the choices on this card. Nothing happened.');
  const instance = await getInstance(services.deps.arm, ref).catch((error: unknown) => {
    throw asArmUnavailable(error, `read ${ref.name}`);
  });
  const { intent } = record;
  switch (intent.command) {
    case 'check':
      return showOptions(services, turn, instance, intent.target);
    case 'integrate':
      return integrate(services, turn, instance, intent.target, 'invoke');
    case 'disconnect':
      return disconnect(services, turn, instance, 'invoke');
    case 'status':
      return instanceStatus(services, turn, instance);
    case 'whoApproves':
      return whoApproves(services, turn, instance, null);
  }
}
