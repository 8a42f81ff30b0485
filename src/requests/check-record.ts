/**
 * The server-side record behind a card that offers choices: the options card (subnets) or the pick-instance
 * card (instances). A card action carries only its `checkId`; the choice it sends back must be one of these.
 */
import type { Finding, PlannedFix, Verdict } from '../eligibility/report.js';
import type { SubnetProposal } from '../proposal/index.js';
import type { InstanceSummary } from './request.js';

export interface SubnetCandidate {
  subnetId: string;
  verdict: Exclude<Verdict, 'ineligible'>;
  fixes: PlannedFix[];
  findings: Finding[];
}

/** Where a person wants to integrate, as typed. */
export type SubnetTarget =
  | { kind: 'id'; id: string }
  | { kind: 'name'; vnet: string; subnet: string }
  /** A VNet only: narrows the options to that VNet's subnets. */
  | { kind: 'vnet'; vnet: string }
  /** `new subnet [in <vnet>]`: offer a new subnet (in that VNet) even when an existing one fits. */
  | { kind: 'new'; vnet: string | null };

/** Prefix of the options card's choice value for the proposed new subnet: `new:<choiceId>`. */
export const NEW_SUBNET_CHOICE_PREFIX = 'new:';

/** The new subnet the options card offered, as the check record keeps it; the card carries only `new:<choiceId>`. */
export interface ProposalCandidate {
  choiceId: string;
  proposal: SubnetProposal;
}

/** What the person was doing when the bot asked them to pick an instance. */
export type PendingIntent =
  | { command: 'check'; target: SubnetTarget | null }
  | { command: 'integrate'; target: SubnetTarget | null }
  | { command: 'disconnect' }
  | { command: 'status' }
  | { command: 'whoApproves' };

export type CheckRecord =
  | {
      kind: 'options';
      checkId: string;
      instance: InstanceSummary;
      /** Who ran the check (AAD object id) and where. */
      askedBy: string | null;
      conversationId: string;
      candidates: SubnetCandidate[];
      /** The proposed new subnet, when the card offered one (absent in records written before proposals). */
      proposal?: ProposalCandidate | null;
      createdAt: string;
    }
  | {
      kind: 'pickInstance';
      checkId: string;
      instanceIds: string[];
      intent: PendingIntent;
      askedBy: string | null;
      conversationId: string;
      createdAt: string;
    };

/** Check records created before this are out of date: their cards are answered so, and the sweep removes them. */
export function checkRecordCutoff(now: Date, ttlHours: number): Date {
  return new Date(now.getTime() - ttlHours * 3_600_000);
}
