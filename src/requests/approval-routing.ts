/**
 * Where an approval card goes. Pure. The approvals channel when one is set; otherwise the request's own
 * conversation when it is a channel or group chat, plus a personal chat with each approver who has one. Members of
 * approver groups have no personal chat the bot knows of: they find the card where it went, or say `pending`.
 */
import type { ConversationInfo } from './request.js';
import type { PersonalChat } from './settings.js';

export interface RoutingInput {
  approvalsChannel: ConversationInfo | null;
  requestConversation: ConversationInfo;
  /** Personal chats of the configured approvers, where the bot has one. */
  approverChats: PersonalChat[];
  approverIds: readonly string[];
  /** Entra group object ids whose members approve (optional: none). */
  approverGroupIds?: readonly string[];
  requesterAadObjectId: string | null;
  allowSelfApproval: boolean;
}

export interface Routing {
  targets: ConversationInfo[];
  /** For the requester: where the card went, or how to make approvers reachable. */
  note: string;
}

const SETUP_HINT =
  'An approver should say "approvals here" in a Teams channel where I am installed (or open a personal chat with me); pending requests are then sent there.';

const GROUP_HINT = 'Members of the approver groups get no personal message from me: they can say "pending" to me to find it.';

const same = (a: string | null, b: string | null) => a !== null && b !== null && a.toLowerCase() === b.toLowerCase();

export function routeApproval(input: RoutingInput): Routing {
  const groups = input.approverGroupIds?.length ?? 0;
  const eligibleApprovers = input.approverIds.filter((id) => input.allowSelfApproval || !same(id, input.requesterAadObjectId));
  if (input.approverIds.length === 0 && groups === 0) {
    return { targets: [], note: 'No approvers are configured (APPROVER_IDS), so nobody can approve this request yet. Ask the bot\'s administrator.' };
  }
  if (eligibleApprovers.length === 0 && groups === 0) {
    return { targets: [], note: 'You are the only configured approver and may not approve your own request. Ask the bot\'s administrator to add an approver.' };
  }
  if (input.approvalsChannel) return { targets: [input.approvalsChannel], note: 'The approval card went to the approvals channel.' };

  const targets: ConversationInfo[] = [];
  const here = input.requestConversation.type !== 'personal';
  if (here) targets.push(input.requestConversation);
  const dms = input.approverChats.filter(
    (chat) =>
      eligibleApprovers.some((id) => same(id, chat.aadObjectId)) &&
      !targets.some((t) => t.conversationId === chat.conversation.conversationId),
  );
  targets.push(...dms.map((d) => d.conversation));

  const groupHint = groups > 0 ? ` ${GROUP_HINT}` : '';
  if (targets.length === 0) return { targets, note: `No approver can be reached yet. ${SETUP_HINT}${groupHint}` };
  const parts: string[] = [];
  if (here) parts.push('in this conversation');
  if (dms.length > 0) parts.push(`in a personal chat with ${dms.length} approver${dms.length === 1 ? '' : 's'}`);
  return { targets, note: `The approval card is ${parts.join(' and ')}.${groupHint}` };
}
