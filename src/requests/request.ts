/**
 * The request record: what someone asked for, who decides, where its cards are, and what happened.
 * Plain data, storage-neutral: the file store and the blob store keep it as JSON.
 */
import type { Finding, PlannedFix } from '../eligibility/report.js';

/** integrate: join `subnetId`; disconnect: set virtualNetworkType None. */
export type RequestKind = 'integrate' | 'disconnect';

export type RequestState = 'pending' | 'approved' | 'applying' | 'succeeded' | 'failed' | 'rejected' | 'cancelled' | 'expired';

export interface Person {
  /** Teams user id (29:…). */
  teamsId: string;
  /** Entra (AAD) object id; null when Teams did not send one. */
  aadObjectId: string | null;
  name: string;
}

/**
 * A Bot Framework conversation reference, kept as plain JSON so the domain does not import botbuilder.
 * The bot layer fills and reads it.
 */
export type ConversationRef = Record<string, unknown> & { conversation: { id: string } };

export type ConversationType = 'personal' | 'groupChat' | 'channel';

export interface ConversationInfo {
  reference: ConversationRef;
  conversationId: string;
  type: ConversationType;
  /** The team of a channel conversation; null elsewhere. */
  teamId: string | null;
  tenantId: string | null;
}

/** A card the bot posted about this request, updated at every step. */
export interface PostedCard {
  role: 'requester' | 'approval';
  conversation: ConversationInfo;
  activityId: string;
}

export interface InstanceSummary {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  skuName: string;
  /** Network mode and subnet when the request was made. */
  virtualNetworkType: string;
  subnetResourceId: string | null;
}

export interface HistoryEntry {
  at: string;
  from: RequestState | null;
  to: RequestState;
  /** null = the bot itself. */
  by: Person | null;
  why: string | null;
}

export type ApplyStep = 'recheck' | 'registerProvider' | 'addDelegation' | 'updateInstance' | 'done';

export interface ApplyFailure {
  /** ARM's error code, or a finding code when the re-check refused. */
  code: string;
  message: string;
  /** A plain explanation and what to do. */
  explanation: string;
  /** Changes the bot made before the failure that stay in place, each with how to undo it. */
  leftBehind?: string[];
}

export interface ApplyProgress {
  step: ApplyStep;
  /** Steps finished, in order, with what each did (`changed`: the step changed something in Azure). */
  done: { step: ApplyStep; at: string; note: string; changed?: boolean }[];
  /** `poller.toString()` of the ARM write in flight, stored as soon as ARM accepted it, to resume polling. */
  pollerState: string | null;
  /** Which write `pollerState` belongs to. */
  pollerStep: ApplyStep | null;
  failure: ApplyFailure | null;
  /** The fixes the re-check found still needed (what a resumed apply carries out); absent before the re-check. */
  plan?: PlannedFix[] | null;
}

/**
 * Which bot process carries out an approved request, until when. Renewed while it works; a process that finds
 * it expired (or, on a store only one process uses, held by a process that is gone) takes the request over.
 */
export interface Lease {
  owner: string;
  takenAt: string;
  expiresAt: string;
}

export interface IntegrationRequest {
  id: string;
  /** Compare-and-set version: every stored change increments it. */
  version: number;
  kind: RequestKind;
  instance: InstanceSummary;
  /** The subnet to integrate with; null for disconnect. */
  subnetId: string | null;
  requester: Person;
  /** Findings at request time (instance-level and the subnet's own), for the approver. */
  findings: Finding[];
  /** What the bot will do before it updates the instance. */
  fixes: PlannedFix[];
  conversation: ConversationInfo;
  cards: PostedCard[];
  /** Where the approval card went, or why it could not go anywhere, for the requester. */
  routingNote: string;
  state: RequestState;
  history: HistoryEntry[];
  apply: ApplyProgress | null;
  createdAt: string;
  updatedAt: string;
  /** The process applying the request (approved and applying only). */
  lease?: Lease | null;
  /** When approvers were reminded of a pending request (once, halfway to expiry). */
  remindedAt?: string | null;
  /** When the requester was told how the request ended (once). */
  toldRequesterAt?: string | null;
  /** How many `history` entries are in the audit log; kept by the audited store. */
  auditedThrough?: number;
}

export const OPEN_STATES: readonly RequestState[] = ['pending', 'approved', 'applying'];

export function isOpen(request: Pick<IntegrationRequest, 'state'>): boolean {
  return OPEN_STATES.includes(request.state);
}
