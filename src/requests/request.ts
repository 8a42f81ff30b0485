/**
 * The request record: what someone asked for, who decides, where its cards are, and what happened.
 * Plain data, storage-neutral: the file store and the blob store keep it as JSON.
 */
import type { Finding, PlannedFix } from '../eligibility/report.js';
import type { SubnetProposal } from '../proposal/index.js';
import type { InstanceFacts } from '../eligibility/facts.js';
import type { ApprovalStage, RuleTiming } from '../policy/approval-policy.js';
import type { ChangeWindow } from '../policy/change-windows.js';

/**
 * integrate: join `subnetId`; newSubnet: create the proposed NSG and subnet (`newSubnet`), then join it;
 * disconnect: set virtualNetworkType None.
 */
export type RequestKind = 'integrate' | 'newSubnet' | 'disconnect';

export const REQUEST_STATES = ['pending', 'approved', 'applying', 'succeeded', 'failed', 'rejected', 'cancelled', 'expired'] as const;

export type RequestState = (typeof REQUEST_STATES)[number];

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

/** The instance as it was when the request was made (its network mode and subnet included). */
export type InstanceSummary = Omit<InstanceFacts, 'provisioningState'>;

export interface HistoryEntry {
  at: string;
  from: RequestState | null;
  to: RequestState;
  /** null = the bot itself. */
  by: Person | null;
  why: string | null;
}

export type ApplyStep =
  | 'recheck'
  | 'registerProvider'
  | 'addDelegation'
  | 'createNsg'
  | 'attachNsg'
  | 'addDependencyRules'
  | 'createSubnet'
  | 'updateInstance'
  | 'deleteSubnet'
  | 'removeDelegation'
  | 'detachNsg'
  | 'deleteNsg'
  | 'removeDependencyRule'
  | 'done';

/** The steps of a disconnect's undo, in the order they run. */
export type UndoStep = 'deleteSubnet' | 'removeDelegation' | 'detachNsg' | 'deleteNsg' | 'removeDependencyRule';

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
  done: DoneStep[];
  /** `poller.toString()` of the ARM write in flight, stored as soon as ARM accepted it, to resume polling. */
  pollerState: string | null;
  /** Which write `pollerState` belongs to. */
  pollerStep: ApplyStep | null;
  /** Which item `step` is working on, for a step that writes one thing per item (see `DoneStep.item`). */
  stepItem?: string | null;
  failure: ApplyFailure | null;
  /** The fixes the re-check found still needed (what a resumed apply carries out); absent before the re-check. */
  plan?: PlannedFix[] | null;
  /**
   * newSubnet: the subnet the re-check settled on (the approved proposal, or a new pick in the same VNet when
   * its space was taken meanwhile); absent before the re-check.
   */
  proposal?: SubnetProposal | null;
  /** What the bot created for this request, in order (for undo): the NSG and the subnet. */
  created?: CreatedResource[];
}

/** What a disconnect removes: only what an earlier request of the bot created or changed for the instance. */
export interface UndoPlan {
  /** The request that created or changed them. */
  fromRequestId: string;
  /** The subnet the bot created (deleted once the instance no longer uses it); null when it did not create one. */
  subnetId: string | null;
  /** The NSG the bot created (deleted after the subnet); null when it did not create one. */
  nsgId: string | null;
  /** A subnet the bot only delegated to Microsoft.Web/serverFarms: the delegation is removed. */
  delegatedSubnetId: string | null;
  /** An existing subnet the bot gave an NSG: the association is removed (before a created NSG is deleted). */
  nsgAttachment?: { subnetId: string; nsgId: string } | null;
  /** The explicit dependency rules the bot added to an existing NSG, by id (…/securityRules/{name}): they are deleted. */
  dependencyRuleIds?: string[];
  /**
   * What of the above the disconnect leaves in place, decided when it was requested (and listed on the approval
   * card): the parts the bot's identity may not remove. Absent or empty: everything is removed.
   */
  kept?: UndoKept[];
}

/** One part of an undo left in place: its step and resource (as `undoSteps` names them), and why. */
export interface UndoKept {
  step: UndoStep;
  id: string;
  /** The action the bot's identity lacks on the resource; null when the part stays for `associatedWith`. */
  lacks: string | null;
  /** An NSG that stays because the subnet it is associated with stays (its deletion or the association is kept). */
  associatedWith?: string | null;
}

export interface DoneStep {
  step: ApplyStep;
  /**
   * For a step that writes one thing per item, which one: the rule's name (addDependencyRules) or the rule's id
   * (removeDependencyRule). Absent for the other steps.
   */
  item?: string;
  at: string;
  note: string;
  changed?: boolean;
}

export interface CreatedResource {
  type: 'networkSecurityGroup' | 'subnet';
  id: string;
  at: string;
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

export interface Approval {
  by: Person;
  /** The approver a delegate decided for (`by` is the delegate); absent when `by` decided for themselves. */
  onBehalfOf?: Person | null;
  at: string;
  /** Index of the stage the approval counted for. */
  stage: number;
}

/** The rule a request was opened under, copied onto it (a later policy change does not move it), and its approvals. */
export interface ApprovalPlan {
  rule: string;
  stages: ApprovalStage[];
  allowSelfApproval: boolean;
  approvals: Approval[];
  /** Expiry, reminders and escalation; absent on records from before per-rule timing (REQUEST_TTL_HOURS, one reminder halfway). */
  timing?: RuleTiming;
  /** The rule's change windows: the request is applied only inside one. Absent: at any time (and on records from before windows). */
  windows?: ChangeWindow[];
  /** The rule's `retryApprovedWithinHours` when it names one. */
  retryApprovedWithinHours?: number;
}

/** A reminder or the escalation of a pending request, sent once. */
export interface SentNotice {
  key: `reminder:${number}` | 'escalation';
  at: string;
  /** What was sent, to whom (for the card). */
  note?: string;
  /** Due while the bot could not send it, and overtaken by a later one: not sent. */
  passed?: boolean;
}

export interface IntegrationRequest {
  id: string;
  /** Compare-and-set version: every stored change increments it. */
  version: number;
  kind: RequestKind;
  instance: InstanceSummary;
  /** The subnet to integrate with; null for disconnect. For newSubnet, the proposed subnet (see `apply.proposal`). */
  subnetId: string | null;
  /** newSubnet: what the requester chose, as proposed (the approval card lists it). */
  newSubnet?: SubnetProposal | null;
  /** disconnect: what the bot made for the instance's current subnet, to remove once it has left (listed on the approval card). */
  undo?: UndoPlan | null;
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
  /** The approval rule the request was opened under and the approvals it has; absent on records from before policies (one approval of APPROVER_IDS). */
  approval?: ApprovalPlan | null;
  /**
   * Approved outside its change windows: when the next one opens (ISO 8601), when it will run; its apply deadline
   * counts from then (or from when it began, if later). Cleared when an approver runs it now. Absent or null: it
   * was approved inside a window, or its plan has none.
   */
  waitsUntil?: string | null;
  /** An approver ran it before its change window: it starts whatever the time. */
  runNow?: { by: Person; at: string } | null;
  /** Records from before `notices`: when approvers were reminded (once, halfway to expiry). */
  remindedAt?: string | null;
  /** The reminders and the escalation sent for a pending request, each once. */
  notices?: SentNotice[];
  /** A retry: the failed request this one tries again. */
  retryOf?: string | null;
  /** A failed request that was retried: the request that tries it again. */
  retriedAs?: string | null;
  /** When the requester was told how the request ended (once). */
  toldRequesterAt?: string | null;
  /** How many `history` entries are in the audit log; kept by the audited store. */
  auditedThrough?: number;
}

export const OPEN_STATES: readonly RequestState[] = ['pending', 'approved', 'applying'];

export function isOpen(request: Pick<IntegrationRequest, 'state'>): boolean {
  return OPEN_STATES.includes(request.state);
}
