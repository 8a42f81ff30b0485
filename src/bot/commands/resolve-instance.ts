import { randomUUID } from 'node:crypto';
import { findInstance } from '../../azure/find-instance.js';
import { asArmUnavailable } from '../../azure/arm-errors.js';
import type { InstanceFacts } from '../../eligibility/facts.js';
import { CodedError, ErrorCode } from '../../errors.js';
import type { PendingIntent } from '../../requests/check-record.js';
import { pickInstanceCard } from '../cards/pick-instance-card.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';

const ACTION_TITLE: Record<PendingIntent['command'], string> = {
  check: 'Check this one',
  integrate: 'Continue with this one',
  disconnect: 'Disconnect this one',
  status: 'Show its status',
  whoApproves: 'Show its approvers',
};

/** The instance a person named, or the card that asks which one they meant. */
export async function resolveInstance(
  services: BotServices,
  turn: TurnInfo,
  typed: string,
  intent: PendingIntent,
): Promise<{ instance: InstanceFacts } | { reply: Reply }> {
  try {
    return { instance: await findInstance(services.deps.arm, typed) };
  } catch (error) {
    if (error instanceof CodedError && error.code === ErrorCode.INSTANCE_AMBIGUOUS) {
      const matches = (error.details.matches ?? []) as InstanceFacts[];
      const checkId = randomUUID();
      await services.deps.stores.checks.create({
        kind: 'pickInstance',
        checkId,
        instanceIds: matches.map((m) => m.id),
        intent,
        askedBy: turn.person.aadObjectId,
        conversationId: turn.conversation.conversationId,
        createdAt: services.deps.clock().toISOString(),
      });
      return { reply: { card: pickInstanceCard(checkId, typed, matches, ACTION_TITLE[intent.command]) } };
    }
    throw asArmUnavailable(error, `find the instance ${typed}`);
  }
}
