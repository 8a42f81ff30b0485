/** Settings people change from Teams, kept in the bot's own store. */
import type { Delegation } from './delegation.js';
import type { ConversationInfo, Person } from './request.js';

export interface ApprovalsChannel {
  conversation: ConversationInfo;
  setBy: Person;
  setAt: string;
}

export interface BotSettingsRecord {
  approvalsChannel: ApprovalsChannel | null;
  /** Approvers' delegations, running and recently ended. */
  delegations?: Delegation[];
}

/** A person's 1:1 chat with the bot, so the bot can write to them later. */
export interface PersonalChat {
  aadObjectId: string;
  teamsId: string;
  name: string;
  conversation: ConversationInfo;
  updatedAt: string;
}

export const DEFAULT_SETTINGS_RECORD: BotSettingsRecord = { approvalsChannel: null };
