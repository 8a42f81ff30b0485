/** Activities shaped as Teams sends them to a bot. */
import { randomUUID } from 'node:crypto';

export interface TeamsUser {
  name: string;
  aadObjectId: string | null;
  teamsId: string;
}

export interface Chat {
  id: string;
  type: 'personal' | 'groupChat' | 'channel';
  teamId?: string;
  channelId?: string;
}

export const BOT_ID = '28:00000000-0000-0000-0000-00000000b07';
export const BOT_NAME = 'APIM VNet Bot';

export function user(name: string, aadObjectId: string | null): TeamsUser {
  return { name, aadObjectId, teamsId: `29:1${name.toLowerCase()}-${(aadObjectId ?? 'none').slice(0, 8)}` };
}

export function personalChat(u: TeamsUser): Chat {
  return { id: `a:1personal-${u.teamsId.slice(3)}`, type: 'personal' };
}

export function groupChat(name = 'group'): Chat {
  return { id: `19:${name}-${randomUUID().slice(0, 8)}@thread.v2`, type: 'groupChat' };
}

export function channel(name = 'general', teamId = '19:team-platform@thread.tacv2'): Chat {
  const channelId = `19:${name}@thread.tacv2`;
  return { id: `${channelId};messageid=${Date.now()}${Math.floor(Math.random() * 1000)}`, type: 'channel', teamId, channelId };
}

function base(serviceUrl: string, tenantId: string, chat: Chat, from: TeamsUser) {
  return {
    channelId: 'msteams',
    serviceUrl,
    id: `f:${randomUUID()}`,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    from: { id: from.teamsId, name: from.name, ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}) },
    recipient: { id: BOT_ID, name: BOT_NAME },
    conversation: {
      id: chat.id,
      conversationType: chat.type,
      tenantId,
      ...(chat.type === 'personal' ? {} : { isGroup: true }),
    },
    channelData: {
      tenant: { id: tenantId },
      ...(chat.type === 'channel' ? { team: { id: chat.teamId }, channel: { id: chat.channelId } } : {}),
    },
    locale: 'en-US',
  };
}

/**
 * A message; outside personal chats Teams includes the bot's @mention in the text and as an entity. `@Name` of
 * a person in `people` becomes their mention, as Teams writes it (`<at>Name</at>` and an entity with their Teams id).
 */
export function message(serviceUrl: string, tenantId: string, chat: Chat, from: TeamsUser, text: string, people: TeamsUser[] = []) {
  const mention = chat.type === 'personal' ? '' : `<at>${BOT_NAME}</at> `;
  const entities = mention ? [{ type: 'mention', text: `<at>${BOT_NAME}</at>`, mentioned: { id: BOT_ID, name: BOT_NAME } }] : [];
  let body = text;
  for (const person of people) {
    body = body.replace(`@${person.name}`, `<at>${person.name}</at>`);
    entities.push({ type: 'mention', text: `<at>${person.name}</at>`, mentioned: { id: person.teamsId, name: person.name } });
  }
  return {
    ...base(serviceUrl, tenantId, chat, from),
    type: 'message',
    text: `${mention}${body}`,
    textFormat: 'plain',
    entities,
  };
}

/** An Action.Execute click: Teams merges the card's inputs into the action's data. */
export function cardAction(
  serviceUrl: string,
  tenantId: string,
  chat: Chat,
  from: TeamsUser,
  verb: string,
  data: Record<string, unknown>,
  replyToId: string | null,
) {
  return {
    ...base(serviceUrl, tenantId, chat, from),
    type: 'invoke',
    name: 'adaptiveCard/action',
    ...(replyToId ? { replyToId } : {}),
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

export function membersAdded(serviceUrl: string, tenantId: string, chat: Chat, from: TeamsUser) {
  return {
    ...base(serviceUrl, tenantId, chat, from),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT_ID }],
  };
}
