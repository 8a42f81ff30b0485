/**
 * Who may read a request (its card, history and audit log). Pure. The requester and the approvers anywhere; anyone
 * else only in a conversation that saw the request: where it was made, where one of its cards went, or the
 * approvals channel. Everybody in such a conversation is a member of it, and has seen its cards already.
 */
import { isApprover, isSamePerson } from './people.js';
import type { IntegrationRequest, Person } from './request.js';

export interface Reader {
  person: Person;
  conversationId: string;
}

export interface ReadPolicy {
  approverIds: readonly string[];
  /** The conversation id of the approvals channel, when one is set. */
  approvalsChannelId: string | null;
}

export function mayRead(request: Pick<IntegrationRequest, 'requester' | 'conversation' | 'cards'>, reader: Reader, policy: ReadPolicy): boolean {
  if (isSamePerson(request.requester, reader.person) || isApprover(policy.approverIds, reader.person)) return true;
  const here = reader.conversationId;
  if (!here) return false;
  return (
    request.conversation.conversationId === here ||
    request.cards.some((card) => card.conversation.conversationId === here) ||
    policy.approvalsChannelId === here
  );
}

/** The same answer for a request that does not exist and one the reader may not see, so ids cannot be probed. */
export function notVisibleText(requestId: string): string {
  return (
    `I have no request ${requestId} that you can see. A request is visible to its requester, the approvers, and the people ` +
    'of the chat or channel where it was made or where its approval card went.'
  );
}
