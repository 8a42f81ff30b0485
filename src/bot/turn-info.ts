/** Who is speaking, and where, from an incoming activity: the facts the routes trust (never card data). */
import { TurnContext, type Activity } from 'botbuilder';
import type { ConversationInfo, ConversationRef, ConversationType, Person } from '../requests/request.js';

export interface TurnInfo {
  person: Person;
  conversation: ConversationInfo;
  /** The people @mentioned in a message, the bot left out (Teams ids and names; no object ids). */
  mentions: Person[];
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string };
  channel?: { id?: string };
}

export function tenantOf(activity: Partial<Activity>): string | null {
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  return channelData.tenant?.id ?? activity.conversation?.tenantId ?? null;
}

function conversationTypeOf(activity: Partial<Activity>): ConversationType {
  const type = activity.conversation?.conversationType;
  if (type === 'channel' || type === 'groupChat' || type === 'personal') return type;
  return activity.conversation?.isGroup ? 'groupChat' : 'personal';
}

export function conversationOf(activity: Partial<Activity>): ConversationInfo {
  const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as ConversationRef;
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const type = conversationTypeOf(activity);
  return {
    reference,
    conversationId: activity.conversation?.id ?? '',
    type,
    teamId: type === 'channel' ? (channelData.team?.id ?? null) : null,
    tenantId: tenantOf(activity),
  };
}

export function turnInfoOf(context: TurnContext): TurnInfo {
  const { activity } = context;
  return {
    person: { teamsId: activity.from?.id ?? '', aadObjectId: activity.from?.aadObjectId ?? null, name: activity.from?.name ?? '' },
    conversation: conversationOf(activity),
    mentions: mentionsOf(activity),
  };
}

function mentionsOf(activity: Partial<Activity>): Person[] {
  const bot = activity.recipient?.id;
  const people: Person[] = [];
  for (const entity of activity.entities ?? []) {
    const mentioned = (entity as { type?: string; mentioned?: { id?: unknown; name?: unknown } }).mentioned;
    if (entity.type !== 'mention' || typeof mentioned?.id !== 'string' || mentioned.id === bot || people.some((p) => p.teamsId === mentioned.id)) continue;
    people.push({ teamsId: mentioned.id, aadObjectId: null, name: typeof mentioned.name === 'string' ? mentioned.name : '' });
  }
  return people;
}
